package io.owin4j.testkit.internal;

import io.owin4j.testkit.HostLauncher;
import io.owin4j.testkit.HostMode;
import io.owin4j.testkit.OpaqueConnection;
import io.owin4j.testkit.TestResponse;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.UpgradeDeniedException;
import io.owin4j.undertow.OwinServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A host over real sockets: an owin-undertow {@link OwinServer}, or any host a {@link HostLauncher}
 * starts, on {@code 127.0.0.1} and an ephemeral port, reached with the JDK {@code HttpClient}
 * (HTTP/1.1), the JDK WebSocket client and raw sockets.
 *
 * <p>Response bodies are copied from the JDK client's stream into a bounded {@link BytePipe} on the
 * host's own threads, so they stream, time out and cancel exactly as in memory. A {@link
 * RemoteProbe} in front of the application marks, tracks and (when exceptions propagate) keeps the
 * outcome of each request, so the application's own exception reaches the test.
 */
public final class SocketHost implements Host {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  // The tests are over when the host stops; the leak gate has already reported what still runs.
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(1);
  private static final AtomicInteger HOSTS = new AtomicInteger();

  private final HostSettings settings;
  private final ExchangeRegistry registry = new ExchangeRegistry();
  private final RemoteProbe probe;
  private final Map<String, Object> properties;
  private final HostMode mode;
  private final HostLauncher.Running server;
  private final URI baseUri;
  private final ExecutorService executor;
  private final HttpClient client;

  /** Builds the application from {@code settings} and starts an owin-undertow server. */
  public static SocketHost undertow(HostSettings settings) {
    return new SocketHost(settings, HostMode.UNDERTOW, SocketHost::launchUndertow);
  }

  /** Builds the application from {@code settings} and starts the host {@code launcher} starts. */
  public static SocketHost launched(HostSettings settings, HostLauncher launcher) {
    return new SocketHost(settings, HostMode.LAUNCHED, launcher);
  }

  private static HostLauncher.Running launchUndertow(
      java.util.function.Consumer<io.owin4j.core.AppBuilder> configuration,
      HostLauncher.Limits limits) {
    OwinServer server =
        OwinServer.builder()
            .host("127.0.0.1")
            .port(0)
            .stopTimeout(STOP_TIMEOUT)
            .maxBodySize(limits.maxRequestBodySize())
            .configure(configuration)
            .build()
            .start();
    return HostLauncher.running(server.uri(), server::close);
  }

  private SocketHost(HostSettings settings, HostMode mode, HostLauncher launcher) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.mode = mode;
    this.probe = new RemoteProbe(registry, settings.propagateExceptions());
    AtomicReference<@Nullable Map<String, Object>> startup = new AtomicReference<>();
    try {
      this.server =
          launcher.launch(
              builder -> {
                startup.set(builder.properties());
                Pipelines.configuration(settings, probe.middleware()).accept(builder);
              },
              new HostLauncher.Limits(settings.maxRequestBodySize()));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the host under test did not start: " + e.getMessage(), e);
    }
    this.properties = Objects.requireNonNull(startup.get(), "the host configured no application");
    this.baseUri = server.uri();
    int host = HOSTS.incrementAndGet();
    this.executor = DaemonThreads.cachedPool("owin-testkit-" + host + "-client-");
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .executor(executor)
            .build();
  }

  @Override
  public HostMode mode() {
    return mode;
  }

  @Override
  public URI baseUri() {
    return baseUri;
  }

  @Override
  public HttpClient httpClient() {
    return client;
  }

  @Override
  public Map<String, Object> properties() {
    return properties;
  }

  private @Nullable RemoteProbe keptOutcomes() {
    return settings.propagateExceptions() ? probe : null;
  }

  @Override
  public CompletableFuture<TestResponse> send(OutgoingRequest request) {
    String mark = RemoteProbe.newId();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(baseUri.resolve(request.target()))
            .method(request.method(), publisher(request));
    addHeaders(request.headers(), mark, builder::header);
    CompletableFuture<HttpResponse<InputStream>> sending =
        client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    // Until the response head arrives the request may not have reached the probe yet; the leak
    // gate must still see it, or it blames whichever test comes next.
    ExchangeRegistry.Running awaiting =
        registry.open(
            request.method() + " " + request.target() + " (awaiting the response)",
            () -> sending.cancel(true));
    CompletableFuture<TestResponse> result = new CompletableFuture<>();
    sending.whenComplete(
        (response, failure) -> {
          awaiting.close();
          if (failure != null) {
            result.completeExceptionally(Failures.unwrap(failure));
            return;
          }
          try {
            result.complete(received(response, mark, request));
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    result.whenComplete(
        (response, failure) -> {
          if (result.isCancelled()) {
            sending.cancel(true);
          }
        });
    return result;
  }

  private static HttpRequest.BodyPublisher publisher(OutgoingRequest request) {
    byte[] bytes = request.bodyBytes();
    if (bytes != null) {
      return HttpRequest.BodyPublishers.ofByteArray(bytes);
    }
    InputStream stream = request.bodyStream();
    if (stream != null) {
      return HttpRequest.BodyPublishers.ofInputStream(() -> stream);
    }
    return HttpRequest.BodyPublishers.noBody();
  }

  /** Adds the test's headers and the probe's mark, explaining the JDK's refusals. */
  private static void addHeaders(
      List<Map.Entry<String, String>> headers,
      String mark,
      java.util.function.BiConsumer<String, String> add) {
    for (Map.Entry<String, String> header : headers) {
      try {
        add.accept(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "header "
                + header.getKey()
                + " cannot be sent in UNDERTOW mode: the JDK HttpClient refuses it ("
                + e.getMessage()
                + "); test it in memory, with @OnlyOn(value = HostMode.IN_MEMORY, reason = ...)",
            e);
      }
    }
    add.accept(RemoteProbe.HEADER, mark);
  }

  /** Turns the JDK's response into the test's: a 500 the application caused throws its failure. */
  private TestResponse received(
      HttpResponse<InputStream> response, String mark, OutgoingRequest request) {
    RemoteProbe outcomes = keptOutcomes();
    CompletableFuture<@Nullable Throwable> outcome = outcomes == null ? null : outcomes.claim(mark);
    InputStream jdkBody = response.body();
    if (outcome != null && response.statusCode() == 500) {
      Throwable failure = RemoteProbe.await(outcome, request.timeout());
      if (failure != null) {
        closeQuietly(jdkBody);
        throw new ApplicationFailure(failure);
      }
    }
    BytePipe body = new BytePipe(settings.bufferSize(), request.timeout(), "the client");
    body.onReaderClosed(() -> closeQuietly(jdkBody));
    executor.execute(() -> copy(jdkBody, body, outcome, request.timeout()));
    return new ReceivedResponse(
        response.statusCode(),
        null,
        response.version() == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1",
        response.headers().map(),
        body.source());
  }

  /**
   * Copies the body as it arrives; at its end, or when the connection breaks, a failure the
   * application ended with takes the place of the end.
   */
  private static void copy(
      InputStream from,
      BytePipe to,
      @Nullable CompletableFuture<@Nullable Throwable> outcome,
      Duration timeout) {
    try (InputStream in = from) {
      in.transferTo(to.sink());
    } catch (IOException e) {
      Throwable failure = outcome == null ? null : RemoteProbe.await(outcome, timeout);
      to.fail(failure != null ? failure : e);
      return;
    }
    Throwable failure = outcome == null ? null : RemoteProbe.await(outcome, timeout);
    if (failure != null) {
      to.fail(failure);
    } else {
      to.closeWriter();
    }
  }

  @Override
  public TestWebSocket connectWebSocket(OutgoingRequest request, List<String> subprotocols) {
    String mark = RemoteProbe.newId();
    RemoteProbe outcomes = keptOutcomes();
    List<CompletableFuture<@Nullable Throwable>> kept = new ArrayList<>();
    JdkWebSocket socket = new JdkWebSocket(request.timeout(), kept);
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(request.timeout());
    addHeaders(request.headers(), mark, builder::header);
    if (!subprotocols.isEmpty()) {
      builder.subprotocols(
          subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
    }
    URI uri = URI.create("ws" + baseUri.toString().substring(4)).resolve(request.target());
    String what = "the WebSocket handshake to " + request.target();
    WebSocket open;
    try {
      open = Waiting.await(builder.buildAsync(uri, socket.listener()), request.timeout(), what);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof WebSocketHandshakeException denied) {
        throw denial(what, denied.getResponse(), mark, request);
      }
      throw e;
    }
    if (outcomes != null) {
      kept.add(outcomes.claim(mark));
      kept.add(outcomes.claim(mark + RemoteProbe.UPGRADE_SUFFIX));
    }
    socket.opened(open);
    return socket;
  }

  /**
   * The response of a denied handshake; its body is not available, since the JDK client does not
   * keep it.
   */
  private RuntimeException denial(
      String what, HttpResponse<?> response, String mark, OutgoingRequest request) {
    RemoteProbe outcomes = keptOutcomes();
    if (outcomes != null) {
      CompletableFuture<@Nullable Throwable> outcome = outcomes.claim(mark);
      if (response.statusCode() == 500) {
        Throwable failure = RemoteProbe.await(outcome, request.timeout());
        if (failure != null) {
          return Failures.unchecked(failure);
        }
      }
    }
    InputStream body =
        new InputStream() {
          @Override
          public int read() {
            throw new UnsupportedOperationException(
                "the body of a denied WebSocket handshake is not available in UNDERTOW mode: the"
                    + " JDK WebSocket client does not keep it; check it in memory");
          }
        };
    return new UpgradeDeniedException(
        what,
        new ReceivedResponse(
            response.statusCode(), null, "HTTP/1.1", response.headers().map(), body));
  }

  @Override
  public OpaqueConnection upgrade(OutgoingRequest request, String protocol) {
    InetSocketAddress address = new InetSocketAddress(baseUri.getHost(), baseUri.getPort());
    return SocketUpgrade.open(address, request, protocol, RemoteProbe.newId(), keptOutcomes());
  }

  @Override
  public void assertIdle(Duration grace) {
    registry.assertIdle(grace);
  }

  @Override
  public void close() {
    if (executor.isShutdown()) {
      return;
    }
    try {
      server.close();
    } finally {
      executor.shutdown();
      probe.clear();
    }
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException ignored) {
      // The body is being given up on; a failure to close it changes nothing for the test.
    }
  }

  @Override
  public String toString() {
    return "SocketHost{" + mode.displayName() + " " + baseUri + "}";
  }
}
