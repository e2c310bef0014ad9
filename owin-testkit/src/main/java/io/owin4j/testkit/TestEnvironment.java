package io.owin4j.testkit;

import io.owin4j.api.AppFunc;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.core.OwinContext;
import io.owin4j.core.OwinEnvironment;
import io.owin4j.api.features.ServerCapabilities;
import io.owin4j.testkit.internal.ApplicationFailure;
import io.owin4j.testkit.internal.RequestDraft;
import io.owin4j.testkit.internal.RequestFeatures;
import io.owin4j.testkit.internal.Waiting;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One request's environment for unit-testing a middleware without any server: a valid environment
 * map over real features, and the response it produced, readable afterwards.
 *
 * <pre>{@code
 * AppFunc next = mock(AppFunc.class);
 * when(next.invoke(any())).thenReturn(CompletableFuture.completedFuture(null));
 * TestEnvironment exchange = TestEnvironment.get("/items").header("Accept", "text/plain").build();
 *
 * exchange.run(poweredBy.apply(next));
 *
 * verify(next).invoke(exchange.environment());
 * assertEquals("Owin4J", exchange.response().header("X-Powered-By"));
 * }</pre>
 *
 * <p>The environment is the one the in-memory host gives a request: every required key, a {@code
 * Host} header ({@code localhost} unless set), a unique {@code owin.RequestId}, {@code
 * server.OnSendingHeaders} (run last registered first when the response starts), {@code
 * owin.CallCancelled} (fired by {@link #cancel()}) and {@code sendfile.SendAsync} (copied into the
 * captured body). The response body is captured in memory without bound.
 *
 * <h2>Threading</h2>
 *
 * For one thread, like the request it stands for.
 */
public final class TestEnvironment {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(10);
  private static final ServerCapabilities CAPABILITIES =
      new ServerCapabilities(Map.of(SendFileKeys.VERSION, SendFileKeys.VERSION_VALUE));

  private final RequestFeatures parts;
  private final ByteArrayOutputStream captured;
  private final Map<String, Object> environment;

  private TestEnvironment(RequestDraft draft) {
    this.captured = new ByteArrayOutputStream();
    this.parts = new RequestFeatures(draft.toRequest(), captured, CAPABILITIES, Runnable::run);
    this.environment = OwinEnvironment.of(parts.features());
  }

  /**
   * Starts building a {@code GET} request.
   *
   * @throws IllegalArgumentException as {@link #request}
   */
  public static Builder get(String path) {
    return request("GET", path);
  }

  /**
   * Starts building a {@code POST} request.
   *
   * @throws IllegalArgumentException as {@link #request}
   */
  public static Builder post(String path) {
    return request("POST", path);
  }

  /**
   * Starts building a request.
   *
   * @param path the percent-encoded path, starting with {@code /}, with an optional query string;
   *     the environment shows the path decoded and the query still encoded
   * @throws IllegalArgumentException if {@code method} is not an HTTP token or {@code path} is not
   *     a valid request target
   */
  public static Builder request(String method, String path) {
    return new Builder(new RequestDraft(method, path));
  }

  /** The environment map: always the same instance, a live view of the features. */
  public Map<String, Object> environment() {
    return environment;
  }

  /** A typed context over {@link #environment()}. */
  public OwinContext context() {
    return OwinContext.of(environment);
  }

  /** The typed features behind the environment. */
  public FeatureCollection features() {
    return parts.features();
  }

  /**
   * Runs {@code app} with {@link #environment()} (the same map instance, so a mocked {@code next}
   * can be verified against it) as a host does: waits up to 10 seconds for its stage, then starts
   * the response (if the application did not) and completes it, so later body writes fail.
   *
   * @return this environment
   * @throws TestTimeoutException if the stage did not complete in time
   * @throws RuntimeException the application's failure, as {@link TestRequest#send()} throws it;
   *     the response is then left as the application left it
   */
  public TestEnvironment run(AppFunc app) {
    Objects.requireNonNull(app, "app");
    CompletableFuture<Void> stage =
        AppFunc.invokeSafely(app, environment)
            .handle(
                (ignored, failure) -> {
                  if (failure != null) {
                    throw new ApplicationFailure(failure);
                  }
                  return ignored;
                })
            .toCompletableFuture();
    Waiting.await(stage, RUN_TIMEOUT, "the completion of " + app);
    startResponse();
    parts.starter().complete();
    return this;
  }

  /**
   * Starts the response as a host does at the first body write: runs the {@code
   * server.OnSendingHeaders} callbacks, last registered first, then freezes status and headers.
   * Does nothing if it has started.
   *
   * @throws RuntimeException the first failure of a callback; the response then stays not started
   */
  public void startResponse() {
    parts.starter().start();
  }

  /** True once the response started. */
  public boolean hasStarted() {
    return parts.starter().hasStarted();
  }

  /**
   * Cancels the request as a client that went away: fires {@code owin.CallCancelled}.
   *
   * @throws RuntimeException the first failure of a cancellation callback, after all ran
   */
  public void cancel() {
    parts.lifetime().cancel();
  }

  /**
   * The response as it stands now: status, reason phrase (the default one when none was set),
   * headers, and the body bytes written so far.
   */
  public TestResponse response() {
    return parts.responseHead(new ByteArrayInputStream(captured.toByteArray()));
  }

  @Override
  public String toString() {
    return "TestEnvironment{"
        + parts.request()
        + ", "
        + parts.starter()
        + ", "
        + captured.size()
        + " body bytes}";
  }

  /** Builds a {@link TestEnvironment}. For one thread. */
  public static final class Builder {
    private final RequestDraft draft;

    private Builder(RequestDraft draft) {
      this.draft = draft;
    }

    /**
     * Adds a request header; adding a name again adds another value.
     *
     * @throws IllegalArgumentException as {@link TestRequest#header}
     */
    public Builder header(String name, String value) {
      draft.header(name, value);
      return this;
    }

    /** Appends the query parameter {@code name=value}, both encoded as form data (UTF-8). */
    public Builder query(String name, String value) {
      draft.query(name, value);
      return this;
    }

    /**
     * Sets the request body to {@code text} in UTF-8 with {@code Content-Type} {@code contentType}.
     *
     * @throws IllegalStateException if a body was already set
     */
    public Builder body(String text, String contentType) {
      Objects.requireNonNull(text, "text");
      draft.body(text.getBytes(StandardCharsets.UTF_8), contentType);
      return this;
    }

    /**
     * Sets the request body to a copy of {@code bytes} with {@code Content-Type} {@code
     * contentType}.
     *
     * @throws IllegalStateException if a body was already set
     */
    public Builder body(byte[] bytes, String contentType) {
      draft.body(bytes, contentType);
      return this;
    }

    /** Builds the environment. */
    public TestEnvironment build() {
      return new TestEnvironment(draft);
    }
  }
}
