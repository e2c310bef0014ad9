package io.owin4j.testkit;

import io.owin4j.api.AppFunc;
import io.owin4j.core.AppBuilder;
import io.owin4j.testkit.internal.Client;
import io.owin4j.testkit.internal.Host;
import io.owin4j.testkit.internal.HostSettings;
import io.owin4j.testkit.internal.InMemoryHost;
import io.owin4j.testkit.internal.SocketHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs an application for a test, in memory or on a real Undertow server, and is the client that
 * talks to it.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.create(app)) {
 *   TestResponse response = server.get("/hello").send();
 *   assertEquals("hello", response.bodyAsText());
 * }
 * }</pre>
 *
 * <h2>What every request gets</h2>
 *
 * In memory, each request has the environment a real host gives: every required key, a {@code Host}
 * header ({@code localhost} unless the test sent one), a unique {@code owin.RequestId}, {@code
 * server.OnSendingHeaders} callbacks run last registered first, {@code owin.CallCancelled} fired
 * when the test cancels or closes a response early, {@code websocket.Accept} on WebSocket
 * handshakes, {@code sendfile.SendAsync} (by copy) and {@code opaque.Upgrade} on other upgrade
 * requests. Responses stream through a bounded buffer: a test can read the first chunk before the
 * application wrote the rest, and an application writing faster than the test reads waits.
 *
 * <h2>Failures</h2>
 *
 * By default an exception in the application reaches the test: {@link TestRequest#send()} throws it
 * when the response had not started, reading the body throws it otherwise; on Undertow too. With
 * {@link Builder#propagateExceptions(boolean) propagateExceptions(false)} the test sees what a
 * client of a real host sees: a 500 without the headers the application set and without a body, or
 * an aborted connection. {@link io.owin4j.core.OwinLint} checks every request unless {@link
 * Builder#lint(boolean) lint(false)}, so a contract violation fails the request with the rule it
 * broke.
 *
 * <h2>Lifecycle and threading</h2>
 *
 * A server runs from creation until {@link #close()}, which cancels requests still running, fires
 * {@code host.OnAppDisposing} and stops. Thread-safe.
 */
public final class TestServer implements TestClient, AutoCloseable {
  /** The bytes a response body may hold in memory for a test that has not read them: 64 KiB. */
  public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

  /** The largest request body a host accepts unless the test says otherwise: 32 MiB. */
  public static final long DEFAULT_MAX_REQUEST_BODY_SIZE = 32L * 1024 * 1024;

  private final Host host;
  private final Client client;

  private TestServer(Host host) {
    this.host = host;
    this.client = new Client(host);
  }

  /** Starts an in-memory server running {@code app}, with the defaults of {@link #builder()}. */
  public static TestServer create(AppFunc app) {
    return builder().app(app).start();
  }

  /**
   * Starts an in-memory server running the application that {@code configuration} builds on the
   * host's {@link AppBuilder}, with the defaults of {@link #builder()}. (A different name from
   * {@link #create}, so a lambda is never ambiguous.)
   */
  public static TestServer configure(Consumer<AppBuilder> configuration) {
    return builder().configure(configuration).start();
  }

  /**
   * Returns a builder: in memory, with the linter and exception propagation on and a {@value
   * #DEFAULT_BUFFER_SIZE}-byte body buffer unless changed.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public TestRequest get(String path) {
    return client.get(path);
  }

  @Override
  public TestRequest post(String path) {
    return client.post(path);
  }

  @Override
  public TestRequest put(String path) {
    return client.put(path);
  }

  @Override
  public TestRequest delete(String path) {
    return client.delete(path);
  }

  @Override
  public TestRequest method(String method, String path) {
    return client.method(method, path);
  }

  @Override
  public WebSocketRequest webSocket(String path) {
    return client.webSocket(path);
  }

  @Override
  public OpaqueConnection upgrade(String path, String protocol) {
    return client.upgrade(path, protocol);
  }

  @Override
  public TestClient withCookies() {
    return client.withCookies();
  }

  @Override
  public URI baseUri() {
    return client.baseUri();
  }

  @Override
  public HttpClient httpClient() {
    return client.httpClient();
  }

  @Override
  public HostMode mode() {
    return host.mode();
  }

  /**
   * The startup properties the application was configured with: {@code owin.Version}, {@code
   * server.Capabilities}, {@code host.OnAppDisposing}, {@code host.Addresses}, and what the
   * configuration added.
   */
  public Map<String, Object> properties() {
    return host.properties();
  }

  /**
   * Waits up to {@code grace} for every request's stage to complete: the leak gate that {@link
   * OwinHostTest} runs after each test. On Undertow it covers the stages of requests that reached
   * the application.
   *
   * @throws AssertionError naming each request still running, with the place it was sent from
   * @throws IllegalArgumentException if {@code grace} is negative
   */
  public void assertIdle(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, got " + grace);
    }
    host.assertIdle(grace);
  }

  /**
   * Cancels the requests still running (their {@code owin.CallCancelled} fires), fires {@code
   * host.OnAppDisposing}, and stops. Idempotent.
   */
  @Override
  public void close() {
    host.close();
  }

  @Override
  public String toString() {
    return "TestServer{" + host.mode().displayName() + " " + host.baseUri() + "}";
  }

  /** Configures and starts a {@link TestServer}. For one thread. */
  public static final class Builder {
    private @Nullable Consumer<AppBuilder> configuration;
    private HostMode mode = HostMode.IN_MEMORY;
    private boolean lint = true;
    private boolean propagateExceptions = true;
    private int bufferSize = DEFAULT_BUFFER_SIZE;
    private long maxRequestBodySize = DEFAULT_MAX_REQUEST_BODY_SIZE;
    private @Nullable HostLauncher launcher;

    private Builder() {}

    /** Runs {@code app}; replaces an earlier {@link #configure}. */
    public Builder app(AppFunc app) {
      Objects.requireNonNull(app, "app");
      this.configuration = builder -> builder.run(app);
      return this;
    }

    /**
     * Runs the application {@code configuration} builds on the host's {@link AppBuilder}, whose
     * properties are the host's startup properties; replaces an earlier {@link #app}.
     */
    public Builder configure(Consumer<AppBuilder> configuration) {
      this.configuration = Objects.requireNonNull(configuration, "configuration");
      return this;
    }

    /**
     * Where to run; {@link HostMode#IN_MEMORY} unless set. {@link HostMode#LAUNCHED} is set by
     * {@link #launcher}.
     *
     * @throws IllegalArgumentException for {@link HostMode#LAUNCHED}: give the launcher instead
     */
    public Builder mode(HostMode mode) {
      Objects.requireNonNull(mode, "mode");
      if (mode == HostMode.LAUNCHED) {
        throw new IllegalArgumentException(
            "mode LAUNCHED needs the host's launcher: call launcher(...) instead");
      }
      this.mode = mode;
      this.launcher = null;
      return this;
    }

    /**
     * Runs on the host {@code launcher} starts, over sockets; sets the mode to {@link
     * HostMode#LAUNCHED}. This is how a host that is not the testkit's own is tested.
     */
    public Builder launcher(HostLauncher launcher) {
      this.launcher = Objects.requireNonNull(launcher, "launcher");
      this.mode = HostMode.LAUNCHED;
      return this;
    }

    /**
     * The largest request body the host accepts, in bytes; {@value
     * #DEFAULT_MAX_REQUEST_BODY_SIZE} unless set. A request declaring more gets 413 without
     * reaching the application; a body read past it fails the read, and gets 413 when the
     * application lets that failure end the request before the response started.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxRequestBodySize(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxRequestBodySize must be positive, got " + bytes);
      }
      this.maxRequestBodySize = bytes;
      return this;
    }

    /** Whether {@link io.owin4j.core.OwinLint} checks every request; true unless set. */
    public Builder lint(boolean lint) {
      this.lint = lint;
      return this;
    }

    /**
     * Whether the application's exceptions reach the test (true, the default) or the test sees a
     * 500 or an aborted connection as a client of a real host does (false).
     */
    public Builder propagateExceptions(boolean propagateExceptions) {
      this.propagateExceptions = propagateExceptions;
      return this;
    }

    /**
     * How many bytes of a response body, opaque stream or WebSocket direction may wait in memory
     * for their reader; {@value #DEFAULT_BUFFER_SIZE} unless set.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder bufferSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("bufferSize must be positive, got " + bytes);
      }
      this.bufferSize = bytes;
      return this;
    }

    /**
     * Builds the application and starts the server.
     *
     * @throws IllegalStateException if neither {@link #app} nor {@link #configure} was called
     * @throws RuntimeException what the configuration or the server's start threw
     */
    public TestServer start() {
      if (configuration == null) {
        throw new IllegalStateException(
            "TestServer needs an application: call app(...) or configure(...) first");
      }
      HostSettings settings =
          new HostSettings(
              configuration, lint, propagateExceptions, bufferSize, maxRequestBodySize);
      HostLauncher launched = launcher;
      Host host =
          switch (mode) {
            case IN_MEMORY -> new InMemoryHost(settings);
            case UNDERTOW -> SocketHost.undertow(settings);
            case LAUNCHED -> SocketHost.launched(settings, Objects.requireNonNull(launched));
          };
      return new TestServer(host);
    }
  }
}
