package io.owin4j.testkit.internal;

import io.owin4j.api.AppFunc;
import io.owin4j.api.HostKeys;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.core.AppBuilder;
import io.owin4j.features.CancellationTokenSource;
import io.owin4j.api.features.ServerCapabilities;
import io.owin4j.testkit.HostMode;
import io.owin4j.testkit.OpaqueConnection;
import io.owin4j.testkit.TestResponse;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.UpgradeDeniedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory host: runs the application on its own threads, with requests and responses passing
 * through bounded in-memory pipes; no socket anywhere.
 *
 * <p>The startup properties hold {@code server.Capabilities} (WebSocket, sendfile and opaque, each
 * {@code 1.0}), {@code host.OnAppDisposing} (fired by {@link #close()}) and {@code host.Addresses}
 * ({@code http://localhost:80}).
 */
public final class InMemoryHost implements Host {
  private static final URI BASE_URI = URI.create("http://" + RequestFeatures.DEFAULT_HOST + "/");
  private static final AtomicInteger HOSTS = new AtomicInteger();

  private final HostSettings settings;
  private final Map<String, Object> properties = new HashMap<>();
  private final ServerCapabilities capabilities =
      new ServerCapabilities(
          Map.of(
              WebSocketKeys.VERSION, WebSocketKeys.VERSION_VALUE,
              SendFileKeys.VERSION, SendFileKeys.VERSION_VALUE,
              OpaqueKeys.VERSION, OpaqueKeys.VERSION_VALUE));
  private final CancellationTokenSource disposing = new CancellationTokenSource();
  private final ExchangeRegistry registry = new ExchangeRegistry();
  private final ExecutorService executor;
  private final AppFunc app;

  /** Builds the application from {@code settings} and starts the host's threads. */
  public InMemoryHost(HostSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    properties.put(ServerKeys.CAPABILITIES, capabilities.values());
    properties.put(HostKeys.ON_APP_DISPOSING, disposing.token());
    properties.put(
        HostKeys.ADDRESSES,
        List.of(
            Map.of(
                HostKeys.ADDRESS_SCHEME, "http",
                HostKeys.ADDRESS_HOST, RequestFeatures.DEFAULT_HOST,
                HostKeys.ADDRESS_PORT, "80",
                HostKeys.ADDRESS_PATH, "")));
    AppBuilder builder = AppBuilder.create(properties);
    Pipelines.configuration(settings, null).accept(builder);
    this.app = builder.build();
    int host = HOSTS.incrementAndGet();
    this.executor = DaemonThreads.cachedPool("owin-testkit-" + host + "-app-");
  }

  AppFunc app() {
    return app;
  }

  ServerCapabilities capabilities() {
    return capabilities;
  }

  ExecutorService executor() {
    return executor;
  }

  ExchangeRegistry registry() {
    return registry;
  }

  int bufferSize() {
    return settings.bufferSize();
  }

  long maxRequestBodySize() {
    return settings.maxRequestBodySize();
  }

  boolean propagateExceptions() {
    return settings.propagateExceptions();
  }

  @Override
  public HostMode mode() {
    return HostMode.IN_MEMORY;
  }

  @Override
  public URI baseUri() {
    return BASE_URI;
  }

  @Override
  public HttpClient httpClient() {
    throw new UnsupportedOperationException(
        "httpClient() needs a socket, and the in-memory host has none; run the test on"
            + " HostMode.UNDERTOW, such as with @OnlyOn(value = HostMode.UNDERTOW, reason = ...)");
  }

  @Override
  public Map<String, Object> properties() {
    return properties;
  }

  @Override
  public CompletableFuture<TestResponse> send(OutgoingRequest request) {
    return new InMemoryExchange(this, request).start();
  }

  @Override
  public TestWebSocket connectWebSocket(OutgoingRequest request, List<String> subprotocols) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    OutgoingRequest handshake =
        request
            .withHeader("Connection", "Upgrade")
            .withHeader("Upgrade", "websocket")
            .withHeader("Sec-WebSocket-Version", "13")
            .withHeader("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(nonce));
    if (!subprotocols.isEmpty()) {
      handshake = handshake.withHeader("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
    }
    InMemoryExchange exchange = new InMemoryExchange(this, handshake);
    TestResponse response =
        Waiting.await(
            exchange.start(), request.timeout(), "the WebSocket handshake to " + request.target());
    WebSocketPair pair = exchange.webSocket();
    if (pair == null) {
      throw new UpgradeDeniedException("the WebSocket handshake to " + request.target(), response);
    }
    return pair.client();
  }

  @Override
  public OpaqueConnection upgrade(OutgoingRequest request, String protocol) {
    OutgoingRequest upgrade =
        request.withHeader("Connection", "Upgrade").withHeader("Upgrade", protocol);
    InMemoryExchange exchange = new InMemoryExchange(this, upgrade);
    TestResponse response =
        Waiting.await(exchange.start(), request.timeout(), "the upgrade of " + request.target());
    OpaquePipes pipes = exchange.opaque();
    if (pipes == null) {
      throw new UpgradeDeniedException(
          "the upgrade of " + request.target() + " to " + protocol, response);
    }
    return pipes.clientConnection();
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
    executor.shutdown();
    try {
      registry.cancelAll();
    } finally {
      disposing.cancel();
    }
  }

  @Override
  public String toString() {
    return "InMemoryHost{" + settings + "}";
  }
}
