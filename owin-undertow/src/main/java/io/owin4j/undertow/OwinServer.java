package io.owin4j.undertow;

import io.owin4j.api.AppFunc;
import io.owin4j.api.HostKeys;
import io.owin4j.core.AppBuilder;
import io.owin4j.features.CancellationTokenSource;
import io.owin4j.undertow.internal.BufferPool;
import io.owin4j.undertow.internal.EnvironmentSettings;
import io.owin4j.undertow.internal.HttpListener;
import io.owin4j.undertow.internal.TlsFiles;
import io.owin4j.undertow.internal.ServerLimits;
import io.owin4j.undertow.internal.WebSocketRegistry;
import io.undertow.UndertowOptions;
import io.undertow.protocols.http2.Http2Channel;
import io.undertow.server.HttpHandler;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;

/**
 * A standalone Undertow server running one OWIN application on one listener.
 *
 * <pre>{@code
 * try (OwinServer server = OwinServer.builder().port(0).app(app).build().start()) {
 *   System.out.println("listening on " + server.uri());
 *   ...
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #start()} binds the listener, builds the application (a {@link Builder#configure}
 * configuration gets the startup properties {@code host.Addresses}, with the real port, and {@code
 * host.OnAppDisposing}) and serves. {@link #stop(Duration)} drains:
 * new requests get 503 while requests in flight finish, and open WebSockets get a close frame with
 * 1001 (going away) and may answer it, for up to the timeout; then {@code host.OnAppDisposing}
 * fires and the listener and connections close. A server starts at most once.
 *
 * <h2>Protocols</h2>
 *
 * HTTP/1.0 and HTTP/1.1 always; with {@link Builder#http2(boolean)} (on by default) also HTTP/2: by
 * prior knowledge or {@code Upgrade: h2c} on a plain listener, and by ALPN on a TLS listener.
 *
 * <h2>Limits</h2>
 *
 * Every resource a client can hold is bounded, with safe defaults (the builder's "Limits" group,
 * documented in {@code docs/RELIABILITY.md}): read and write timeouts, a minimum upload rate, idle
 * timeouts of WebSockets and opaque streams, the number of requests and of WebSocket sessions at a
 * time (the excess gets 503 at once), HTTP/2 streams per connection. Requests whose framing a proxy
 * may read differently (an unknown transfer coding, an invalid {@code Content-Length}, CR, LF or NUL
 * in a header value) get 400 or 501 and their connection closes. A server thread that dies of an
 * uncaught error is handled by the {@link FatalErrorPolicy}: the process exits by default.
 *
 * <h2>Cancellation</h2>
 *
 * {@code owin.CallCancelled} fires when the connection closes, when the request faults, and within
 * moments when a plain HTTP/1.x client shuts its socket while its request runs (once the request
 * body was read). A client that resets one HTTP/2 stream, or leaves an HTTP/1.x connection over TLS,
 * is noticed when a write fails.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe.
 */
public final class OwinServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(OwinServer.class.getName());
  private static final int SHUTDOWN_GRACE_MILLIS = 1000;
  private static final AtomicInteger SERVERS = new AtomicInteger();

  private enum State {
    NEW,
    STARTED,
    STOPPED
  }

  private final Builder config;
  private final Function<Map<String, Object>, AppFunc> appFactory;
  private final CancellationTokenSource disposing = new CancellationTokenSource();
  private final Object lock = new Object();
  private State state = State.NEW;
  private @Nullable HttpListener listener;
  private @Nullable InetSocketAddress address;
  private @Nullable OwinHttpHandler handler;
  private @Nullable Thread shutdownHook;
  // Ours, not Undertow's: Undertow's pool frees direct buffers through sun.misc.Unsafe.
  private final BufferPool buffers;
  private @Nullable FatalErrors fatalErrors;
  private @Nullable ServerLimits limits;
  private final String workerName = "owin4j-" + SERVERS.incrementAndGet();
  // Requests reaching a fixed port before start() built the application get a 503.
  private volatile HttpHandler pipeline =
      exchange -> exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE).endExchange();

  private OwinServer(Builder config, Function<Map<String, Object>, AppFunc> appFactory) {
    this.config = config;
    this.appFactory = appFactory;
    this.buffers = new BufferPool(BufferPool.DEFAULT_BUFFER_SIZE, 1024);
  }

  /** A builder with safe defaults: 127.0.0.1, a free port, plain HTTP with HTTP/2. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder with the settings of this process's environment: {@link Builder#environment} over
   * {@link System#getenv()}. Settings not in the environment keep the {@link #builder()} defaults.
   *
   * @throws IllegalArgumentException naming the variable whose value is not valid
   */
  public static Builder fromEnvironment() {
    return builder().environment(System.getenv());
  }

  /**
   * Binds the listener, builds the application and starts serving.
   *
   * @return this server
   * @throws IllegalStateException if the server was started before
   * @throws RuntimeException if the listener cannot bind or the application cannot be built; the
   *     server is then stopped
   */
  public OwinServer start() {
    synchronized (lock) {
      if (state != State.NEW) {
        throw new IllegalStateException("server cannot start: it is " + state.name().toLowerCase());
      }
      ServerLimits serverLimits =
          new ServerLimits(exchange -> pipeline.handleRequest(exchange), config.limits());
      state = State.STOPPED;
      HttpListener server = listen(serverLimits);
      try {
        InetSocketAddress bound = server.address();
        AppFunc app = Objects.requireNonNull(appFactory.apply(startupProperties(bound)), "app");
        OwinHttpHandler.Builder handler =
            OwinHttpHandler.builder(app)
                .dispatch(config.dispatch)
                .responseBufferSize(config.responseBufferSize)
                .webSocketCompression(config.webSocketCompression)
                .webSocketMaxMessageSize(config.webSocketMaxMessageSize);
        if (config.executor != null) {
          handler.workerExecutor(config.executor);
        }
        config.listeners.forEach(handler::listener);
        OwinHttpHandler built = handler.build();
        pipeline = built;
        this.handler = built;
        limits = serverLimits;
        fatalErrors = FatalErrors.install(workerName + " ", config.fatalErrorPolicy, this);
        listener = server;
        address = bound;
        state = State.STARTED;
        if (config.shutdownHook) {
          Thread hook = new Thread(this::close, "owin4j-shutdown");
          Runtime.getRuntime().addShutdownHook(hook);
          shutdownHook = hook;
        }
      } catch (RuntimeException | Error e) {
        server.close();
        buffers.close();
        throw e;
      }
      return this;
    }
  }

  private HttpListener listen(HttpHandler root) {
    int ioThreads =
        config.ioThreads > 0
            ? config.ioThreads
            : Math.max(Runtime.getRuntime().availableProcessors(), 2);
    OptionMap workerOptions =
        OptionMap.builder()
            .set(Options.WORKER_NAME, workerName)
            .set(Options.WORKER_IO_THREADS, ioThreads)
            .set(Options.WORKER_TASK_CORE_THREADS, config.workerThreads)
            .set(Options.WORKER_TASK_MAX_THREADS, config.workerThreads)
            .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
            .set(Options.CONNECTION_LOW_WATER, 1_000_000)
            .set(Options.TCP_NODELAY, true)
            .set(Options.CORK, true)
            .getMap();
    OptionMap.Builder socketOptions =
        OptionMap.builder()
            .set(Options.WORKER_IO_THREADS, ioThreads)
            .set(Options.TCP_NODELAY, true)
            .set(Options.REUSE_ADDRESSES, true)
            .set(Options.BALANCING_TOKENS, 1)
            .set(Options.BALANCING_CONNECTIONS, 2)
            .set(Options.BACKLOG, 1000)
            .set(Options.READ_TIMEOUT, millis(config.readTimeout))
            .set(Options.WRITE_TIMEOUT, millis(config.writeTimeout));
    if (config.sslContext != null) {
      socketOptions.set(Options.SSL_CLIENT_AUTH_MODE, clientAuthMode(config.clientAuth));
    }
    OptionMap serverOptions =
        OptionMap.builder()
            .set(UndertowOptions.MAX_HEADER_SIZE, config.maxHeaderSize)
            .set(UndertowOptions.MAX_ENTITY_SIZE, config.maxBodySize)
            .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(config.requestParseTimeout))
            .set(UndertowOptions.NO_REQUEST_TIMEOUT, millis(config.idleTimeout))
            // Limits (see Builder's "Limits" group and docs/RELIABILITY.md).
            .set(
                UndertowOptions.HTTP2_SETTINGS_MAX_CONCURRENT_STREAMS,
                config.http2MaxConcurrentStreams)
            .set(UndertowOptions.HTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, config.maxHeaderSize)
            // A header block reaches Undertow as one HEADERS frame (Http2HeaderBlocks), as long
            // as maxHeaderSize allows.
            .set(
                UndertowOptions.HTTP2_SETTINGS_MAX_FRAME_SIZE,
                Math.max(Http2Channel.DEFAULT_MAX_FRAME_SIZE, config.maxHeaderSize))
            .getMap();
    HttpListener.Http2Limits http2 =
        config.http2
            ? new HttpListener.Http2Limits(config.http2MaxContinuationFrames, config.maxHeaderSize)
            : null;
    try {
      return HttpListener.open(
          new InetSocketAddress(InetAddress.getByName(config.host), config.port),
          config.sslContext,
          root,
          buffers,
          http2,
          workerOptions,
          socketOptions.getMap(),
          serverOptions,
          SHUTDOWN_GRACE_MILLIS);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + config.host + ":" + config.port + ": " + e.getMessage(), e);
    }
  }

  private Map<String, Object> startupProperties(InetSocketAddress bound) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(HostKeys.ON_APP_DISPOSING, disposing.token());
    properties.put(
        HostKeys.ADDRESSES,
        List.of(
            Map.<String, Object>of(
                HostKeys.ADDRESS_SCHEME, scheme(),
                HostKeys.ADDRESS_HOST, bound.getHostString(),
                HostKeys.ADDRESS_PORT, Integer.toString(bound.getPort()),
                HostKeys.ADDRESS_PATH, "")));
    return properties;
  }

  /**
   * The port the listener is bound to: the real one when the builder asked for port 0.
   *
   * @throws IllegalStateException if the server has not started
   */
  public int port() {
    return boundAddress().getPort();
  }

  /**
   * The root URI of the listener, such as {@code http://127.0.0.1:41234/}. A listener on every
   * address ({@code 0.0.0.0} or {@code ::}) answers with the loopback address of that family, a
   * URI that works on this machine.
   *
   * @throws IllegalStateException if the server has not started
   */
  public URI uri() {
    return uri(scheme(), boundAddress());
  }

  static URI uri(String scheme, InetSocketAddress bound) {
    InetAddress ip = bound.getAddress();
    String host;
    if (ip != null && ip.isAnyLocalAddress()) {
      host = ip instanceof Inet6Address ? "[::1]" : "127.0.0.1";
    } else {
      host = bound.getHostString();
      if (host.indexOf(':') >= 0) {
        host = "[" + host + "]";
      }
    }
    return URI.create(scheme + "://" + host + ":" + bound.getPort() + "/");
  }

  private InetSocketAddress boundAddress() {
    synchronized (lock) {
      if (address == null) {
        throw new IllegalStateException("server has no address: it has not started");
      }
      return address;
    }
  }

  /**
   * How many exchanges ended because the client went away before the response was sent in full;
   * such ends are counted (and reported to the {@link ServerListener}s), never logged.
   *
   * @throws IllegalStateException if the server has not started
   */
  public long clientDisconnects() {
    synchronized (lock) {
      if (handler == null) {
        throw new IllegalStateException("server has no exchanges: it has not started");
      }
      return handler.clientDisconnects();
    }
  }

  private String scheme() {
    return config.sslContext != null ? "https" : "http";
  }

  /**
   * Stops gracefully: new requests get 503 while requests in flight finish, and every open
   * WebSocket gets a close frame with 1001 (going away), for up to {@code timeout}; then {@code
   * host.OnAppDisposing} fires and the listener and its connections close (requests still running,
   * WebSockets that did not answer and opaque streams are cut off, with a warning in the log).
   * Stopping a stopped or never started server does nothing.
   *
   * @param timeout how long to wait for requests in flight and upgraded connections; zero does not
   *     wait
   * @return true if every request in flight and every upgraded connection finished in time
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public boolean stop(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    HttpListener server;
    ServerLimits gate;
    synchronized (lock) {
      if (state != State.STARTED) {
        state = State.STOPPED;
        return true;
      }
      state = State.STOPPED;
      server = Objects.requireNonNull(listener);
      gate = Objects.requireNonNull(limits);
      removeShutdownHook();
    }
    gate.stop();
    long deadline = System.nanoTime() + timeout.toNanos();
    WebSocketRegistry webSockets = handler == null ? null : handler.webSockets();
    if (webSockets != null) {
      // A WebSocket whose handshake is still under way hears the close as soon as it opens.
      webSockets.closeAll(WebSocketRegistry.GOING_AWAY, "server stopping");
    }
    boolean drained;
    try {
      drained = gate.awaitRequestsEnded(Math.max(1, timeout.toMillis()));
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      drained &= gate.awaitUpgradesClosed(left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    if (!drained) {
      StopLog.warning(
          LOG, "requests or WebSockets were still running when the stop timeout of " + timeout + " ended");
    }
    try {
      disposing.cancel();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a host.OnAppDisposing callback failed", e);
    }
    server.close();
    buffers.close();
    FatalErrors watch = fatalErrors;
    if (watch != null) {
      watch.uninstall();
    }
    return drained;
  }

  private void removeShutdownHook() {
    Thread hook = shutdownHook;
    shutdownHook = null;
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting: the hook runs (or ran) anyway.
      }
    }
  }

  /** Stops with the builder's {@link Builder#stopTimeout(Duration)}. */
  @Override
  public void close() {
    stop(config.stopTimeout);
  }

  /** The name every thread of this server starts with (its Undertow worker's name). */
  String workerName() {
    return workerName;
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "OwinServer{" + state.name().toLowerCase() + (address == null ? "" : " " + uri()) + "}";
    }
  }

  private static SslClientAuthMode clientAuthMode(ClientAuth clientAuth) {
    return switch (clientAuth) {
      case NONE -> SslClientAuthMode.NOT_REQUESTED;
      case REQUESTED -> SslClientAuthMode.REQUESTED;
      case REQUIRED -> SslClientAuthMode.REQUIRED;
    };
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }

  /**
   * Configures an {@link OwinServer}. Not thread-safe; {@link #build()} takes a snapshot, so one
   * builder can build several servers.
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private @Nullable Function<Map<String, Object>, AppFunc> appFactory;
    private @Nullable SSLContext sslContext;
    private ClientAuth clientAuth = ClientAuth.NONE;
    private boolean http2 = true;
    private Dispatch dispatch = Dispatch.WORKER;
    private @Nullable Executor executor;
    private int ioThreads;
    private int responseBufferSize = OwinHttpHandler.Builder.DEFAULT_RESPONSE_BUFFER_SIZE;
    private WebSocketCompression webSocketCompression = WebSocketCompression.defaults();
    private long webSocketMaxMessageSize =
        OwinHttpHandler.Builder.DEFAULT_WEB_SOCKET_MAX_MESSAGE_SIZE;
    private int maxHeaderSize = 32 * 1024;
    private long maxBodySize = 32L * 1024 * 1024;
    private Duration requestParseTimeout = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofMinutes(2);
    private Duration stopTimeout = Duration.ofSeconds(30);
    private final List<ServerListener> listeners = new ArrayList<>();
    private boolean shutdownHook;
    // Limits: see the "Limits" group below and docs/RELIABILITY.md.
    private Duration readTimeout = Duration.ofSeconds(60);
    private Duration writeTimeout = Duration.ofSeconds(60);
    private long minUploadRate = 240;
    private Duration uploadRateGrace = Duration.ofSeconds(5);
    private Duration webSocketIdleTimeout = Duration.ofMinutes(10);
    private Duration opaqueIdleTimeout = Duration.ofMinutes(5);
    private int maxConcurrentRequests = 400;
    private int maxWebSocketSessions = 10_000;
    private int workerThreads = 512;
    private int http2MaxConcurrentStreams = 100;
    private int http2MaxContinuationFrames = 16;
    private FatalErrorPolicy fatalErrorPolicy = FatalErrorPolicy.EXIT;

    private Builder() {}

    private Builder(Builder other) {
      host = other.host;
      port = other.port;
      appFactory = other.appFactory;
      sslContext = other.sslContext;
      clientAuth = other.clientAuth;
      http2 = other.http2;
      dispatch = other.dispatch;
      executor = other.executor;
      ioThreads = other.ioThreads;
      responseBufferSize = other.responseBufferSize;
      webSocketCompression = other.webSocketCompression;
      webSocketMaxMessageSize = other.webSocketMaxMessageSize;
      maxHeaderSize = other.maxHeaderSize;
      maxBodySize = other.maxBodySize;
      requestParseTimeout = other.requestParseTimeout;
      idleTimeout = other.idleTimeout;
      stopTimeout = other.stopTimeout;
      listeners.addAll(other.listeners);
      shutdownHook = other.shutdownHook;
      readTimeout = other.readTimeout;
      writeTimeout = other.writeTimeout;
      minUploadRate = other.minUploadRate;
      uploadRateGrace = other.uploadRateGrace;
      webSocketIdleTimeout = other.webSocketIdleTimeout;
      opaqueIdleTimeout = other.opaqueIdleTimeout;
      maxConcurrentRequests = other.maxConcurrentRequests;
      maxWebSocketSessions = other.maxWebSocketSessions;
      workerThreads = other.workerThreads;
      http2MaxConcurrentStreams = other.http2MaxConcurrentStreams;
      http2MaxContinuationFrames = other.http2MaxContinuationFrames;
      fatalErrorPolicy = other.fatalErrorPolicy;
    }

    /** The host name or IP address to listen on; {@code 127.0.0.1} unless set. */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank, got \"" + host + "\"");
      }
      this.host = host;
      return this;
    }

    /**
     * The port to listen on; 0 (the default) picks a free one, which {@link OwinServer#port()}
     * reports after start.
     *
     * @throws IllegalArgumentException if not in [0, 65535]
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
      }
      this.port = port;
      return this;
    }

    /** The application to run; replaces an earlier {@link #configure}. */
    public Builder app(AppFunc app) {
      Objects.requireNonNull(app, "app");
      this.appFactory = properties -> app;
      return this;
    }

    /**
     * Builds the application at {@link OwinServer#start()} with an {@link AppBuilder} over the
     * startup properties: {@code host.Addresses} (the bound listener, its real port included) and
     * {@code host.OnAppDisposing} (fires when the server stops). Replaces an earlier {@link #app}.
     *
     * <pre>{@code
     * OwinServer.builder()
     *     .configure(app -> app.use(logging).map("/api", api -> api.run(apiApp)))
     *     .build();
     * }</pre>
     */
    public Builder configure(Consumer<AppBuilder> configuration) {
      Objects.requireNonNull(configuration, "configuration");
      this.appFactory =
          properties -> {
            AppBuilder builder = AppBuilder.create(properties);
            configuration.accept(builder);
            return builder.build();
          };
      return this;
    }

    /**
     * Serves TLS with {@code sslContext} (which holds the server's key and, for client
     * certificates, the trusted issuers).
     */
    public Builder tls(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /** Whether TLS clients are asked for a certificate; {@link ClientAuth#NONE} unless set. */
    public Builder clientAuth(ClientAuth clientAuth) {
      this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
      return this;
    }

    /** Whether HTTP/2 is offered (prior knowledge, h2c upgrade, ALPN); true unless set. */
    public Builder http2(boolean http2) {
      this.http2 = http2;
      return this;
    }

    /** Where the application is invoked; {@link Dispatch#WORKER} unless set. */
    public Builder dispatch(Dispatch dispatch) {
      this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
      return this;
    }

    /**
     * The executor that runs the application under {@link Dispatch#WORKER}; Undertow's worker pool
     * unless set. A virtual-thread executor works on Java 21 or later. The server never shuts it down.
     */
    public Builder workerExecutor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * How many IO threads read and write the network; Undertow's default (one per core, at least
     * two) unless set.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads <= 0) {
        throw new IllegalArgumentException("ioThreads must be positive, got " + ioThreads);
      }
      this.ioThreads = ioThreads;
      return this;
    }

    /** See {@link OwinHttpHandler.Builder#responseBufferSize(int)}; 16 KiB unless set. */
    public Builder responseBufferSize(int bytes) {
      this.responseBufferSize = OwinHttpHandler.checkResponseBufferSize(bytes);
      return this;
    }

    /** See {@link OwinHttpHandler.Builder#webSocketCompression(boolean)}; true unless set. */
    public Builder webSocketCompression(boolean enabled) {
      this.webSocketCompression =
          enabled ? WebSocketCompression.defaults() : WebSocketCompression.disabled();
      return this;
    }

    /**
     * See {@link OwinHttpHandler.Builder#webSocketCompression(WebSocketCompression)}; {@link
     * WebSocketCompression#defaults()} unless set.
     */
    public Builder webSocketCompression(WebSocketCompression compression) {
      this.webSocketCompression = Objects.requireNonNull(compression, "webSocketCompression");
      return this;
    }

    /** See {@link OwinHttpHandler.Builder#webSocketMaxMessageSize(long)}; 16 MiB unless set. */
    public Builder webSocketMaxMessageSize(long bytes) {
      this.webSocketMaxMessageSize = OwinHttpHandler.checkWebSocketMaxMessageSize(bytes);
      return this;
    }

    /**
     * The largest request head (request line and headers) accepted; larger ones are refused. 32 KiB
     * unless set.
     *
     * <p>On HTTP/2 it is the header list size advertised in {@code SETTINGS_MAX_HEADER_LIST_SIZE}
     * (Undertow caps that at 20,000 bytes unless its system property {@code
     * io.undertow.http2-max-header-size} says more), and it bounds the length of a HEADERS frame
     * with its CONTINUATION frames: a header block whose frames add up to more ends the connection
     * with GOAWAY. How many CONTINUATION frames a block may have is {@link
     * #http2MaxContinuationFrames}.
     *
     * @throws IllegalArgumentException if not in [1 KiB, 1 MiB]
     */
    public Builder maxHeaderSize(int bytes) {
      if (bytes < 1024 || bytes > 1024 * 1024) {
        throw new IllegalArgumentException(
            "maxHeaderSize must be in [1024, 1048576] bytes, got " + bytes);
      }
      this.maxHeaderSize = bytes;
      return this;
    }

    /**
     * The largest request body accepted: a request declaring more gets 413 without reaching the
     * application, and reading past the limit fails. 32 MiB unless set.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxBodySize(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxBodySize must be positive, got " + bytes);
      }
      this.maxBodySize = bytes;
      return this;
    }

    /**
     * How long a client may take to send the request head once it started; 30 seconds unless set.
     */
    public Builder requestParseTimeout(Duration timeout) {
      this.requestParseTimeout = positive(timeout, "requestParseTimeout");
      return this;
    }

    /** How long a connection may stay open with no request; 2 minutes unless set. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    /** How long {@link OwinServer#close()} waits for requests in flight; 30 seconds unless set. */
    public Builder stopTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "stopTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("stopTimeout must not be negative, got " + timeout);
      }
      this.stopTimeout = timeout;
      return this;
    }

    // ---- Limits: what one misbehaving client may take from the server (docs/RELIABILITY.md) ----

    /**
     * How long a read of a request body may wait for the client's next bytes: a body that stalls
     * for longer fails the application's read and closes the connection. A new connection's first
     * request head is held to it too; a keep-alive connection between requests is held to {@link
     * #idleTimeout}, and a request without a body is never cut by it, however long it runs.
     * WebSockets and opaque streams have their own idle timeouts. 60 seconds unless set.
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /**
     * How long a write may wait for a client that does not read: the connection closes after it,
     * and the application's pending write fails. 60 seconds unless set.
     */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = positive(timeout, "writeTimeout");
      return this;
    }

    /**
     * The slowest average rate a request body may arrive at once {@code grace} has passed since the
     * application began reading it; a slower body fails its read and its connection closes. Only a
     * read that finds no bytes waiting checks, so an application reading slowly is not taken for a
     * slow client. 240 bytes per second after 5 seconds unless set; 0 turns the check off.
     *
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public Builder minUploadRate(long bytesPerSecond, Duration grace) {
      if (bytesPerSecond < 0) {
        throw new IllegalArgumentException(
            "minUploadRate must be >= 0 bytes per second, got " + bytesPerSecond);
      }
      this.uploadRateGrace = positive(grace, "grace");
      this.minUploadRate = bytesPerSecond;
      return this;
    }

    /** How long a WebSocket may receive nothing before it closes; 10 minutes unless set. */
    public Builder webSocketIdleTimeout(Duration timeout) {
      this.webSocketIdleTimeout = positive(timeout, "webSocketIdleTimeout");
      return this;
    }

    /** How long an opaque stream may receive nothing before it closes; 5 minutes unless set. */
    public Builder opaqueIdleTimeout(Duration timeout) {
      this.opaqueIdleTimeout = positive(timeout, "opaqueIdleTimeout");
      return this;
    }

    /**
     * How many requests may run at a time; one more gets 503 with {@code Retry-After} at once
     * instead of queueing. Keep it below {@link #workerThreads} so that requests never wait for a
     * thread. 400 unless set.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxConcurrentRequests(int requests) {
      this.maxConcurrentRequests = atLeastOne(requests, "maxConcurrentRequests");
      return this;
    }

    /**
     * How many WebSocket sessions and opaque streams may be open at a time; one more handshake gets
     * 503. 10,000 unless set.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxWebSocketSessions(int sessions) {
      this.maxWebSocketSessions = atLeastOne(sessions, "maxWebSocketSessions");
      return this;
    }

    /**
     * How many worker threads run applications (under {@link Dispatch#WORKER} without a {@link
     * #workerExecutor}) and opaque streams; made as needed. 512 unless set.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder workerThreads(int threads) {
      this.workerThreads = atLeastOne(threads, "workerThreads");
      return this;
    }

    /**
     * The most HTTP/2 streams a client may have open on one connection, advertised in {@code
     * SETTINGS_MAX_CONCURRENT_STREAMS}. 100 unless set. The HTTP/2 header list is limited by
     * {@link #maxHeaderSize} ({@code SETTINGS_MAX_HEADER_LIST_SIZE}).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder http2MaxConcurrentStreams(int streams) {
      this.http2MaxConcurrentStreams = atLeastOne(streams, "http2MaxConcurrentStreams");
      return this;
    }

    /**
     * The most CONTINUATION frames one HTTP/2 header block may have after its HEADERS frame; a block
     * with more ends the connection with GOAWAY ({@code PROTOCOL_ERROR}) before any of it reaches
     * the application. 16 unless set: a client needs one CONTINUATION frame per 16 KiB of header
     * block past the first, so with the default {@link #maxHeaderSize} two are enough.
     *
     * @throws IllegalArgumentException if not in [1, 1024]
     */
    public Builder http2MaxContinuationFrames(int frames) {
      if (frames < 1 || frames > 1024) {
        throw new IllegalArgumentException(
            "http2MaxContinuationFrames must be in [1, 1024], got " + frames);
      }
      this.http2MaxContinuationFrames = frames;
      return this;
    }

    /**
     * What happens when one of the server's threads dies of an uncaught error, such as running out
     * of memory; {@link FatalErrorPolicy#EXIT} unless set.
     */
    public Builder fatalErrorPolicy(FatalErrorPolicy policy) {
      this.fatalErrorPolicy = Objects.requireNonNull(policy, "fatalErrorPolicy");
      return this;
    }

    ServerLimits.Settings limits() {
      return new ServerLimits.Settings(
          maxConcurrentRequests,
          maxWebSocketSessions,
          minUploadRate,
          uploadRateGrace.toMillis(),
          millis(webSocketIdleTimeout),
          millis(opaqueIdleTimeout),
          millis(readTimeout));
    }

    private static int atLeastOne(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    // ---- end of Limits ----

    // ---- Operations: environment, TLS from files, shutdown hook, listeners ----

    /**
     * Applies the settings found in {@code environment} (such as {@link System#getenv()}); absent
     * or blank variables leave the setting as it is.
     *
     * <table>
     *   <caption>Variables</caption>
     *   <tr><th>variable</th><th>setting</th></tr>
     *   <tr><td>{@code OWIN4J_PORT}, else {@code PORT}</td><td>{@link #port(int)}</td></tr>
     *   <tr><td>{@code OWIN4J_HOST}, else {@code HOST}</td><td>{@link #host(String)}</td></tr>
     *   <tr><td>{@code OWIN4J_TLS_CERT} and {@code OWIN4J_TLS_KEY}</td>
     *       <td>{@link #tls(Path, Path)}</td></tr>
     *   <tr><td>{@code OWIN4J_TLS_KEYSTORE} and {@code OWIN4J_TLS_KEYSTORE_PASSWORD}</td>
     *       <td>{@link #tls(Path, char[])}</td></tr>
     *   <tr><td>{@code OWIN4J_HTTP2} ({@code true} or {@code false})</td>
     *       <td>{@link #http2(boolean)}</td></tr>
     *   <tr><td>{@code OWIN4J_STOP_TIMEOUT} (seconds, or ISO-8601 such as {@code PT30S})</td>
     *       <td>{@link #stopTimeout(Duration)}</td></tr>
     *   <tr><td>{@code OWIN4J_SHUTDOWN_HOOK} ({@code true} or {@code false})</td>
     *       <td>{@link #shutdownHook(boolean)}</td></tr>
     * </table>
     *
     * @throws IllegalArgumentException naming the variable whose value is not valid
     */
    public Builder environment(Map<String, String> environment) {
      Objects.requireNonNull(environment, "environment");
      EnvironmentSettings settings = new EnvironmentSettings(environment);
      EnvironmentSettings.Variable port = settings.first("OWIN4J_PORT", "PORT");
      if (port != null) {
        port(settings.integer(port, 0, 65535));
      }
      EnvironmentSettings.Variable host = settings.first("OWIN4J_HOST", "HOST");
      if (host != null) {
        host(settings.value(host));
      }
      EnvironmentSettings.Variable certificate = settings.first("OWIN4J_TLS_CERT");
      EnvironmentSettings.Variable key = settings.first("OWIN4J_TLS_KEY");
      if (certificate != null || key != null) {
        tls(
            settings.path(certificate, "OWIN4J_TLS_CERT", "OWIN4J_TLS_KEY"),
            settings.path(key, "OWIN4J_TLS_KEY", "OWIN4J_TLS_CERT"));
      }
      EnvironmentSettings.Variable keyStore = settings.first("OWIN4J_TLS_KEYSTORE");
      if (keyStore != null) {
        EnvironmentSettings.Variable password = settings.first("OWIN4J_TLS_KEYSTORE_PASSWORD");
        tls(
            Path.of(settings.value(keyStore)),
            password == null ? new char[0] : settings.value(password).toCharArray());
      }
      EnvironmentSettings.Variable http2 = settings.first("OWIN4J_HTTP2");
      if (http2 != null) {
        http2(settings.bool(http2));
      }
      EnvironmentSettings.Variable stop = settings.first("OWIN4J_STOP_TIMEOUT");
      if (stop != null) {
        stopTimeout(settings.duration(stop));
      }
      EnvironmentSettings.Variable hook = settings.first("OWIN4J_SHUTDOWN_HOOK");
      if (hook != null) {
        shutdownHook(settings.bool(hook));
      }
      return this;
    }

    /**
     * Serves TLS with the certificate chain in the PEM file {@code certificateChainPem} (the
     * server's certificate first, then its issuers) and the unencrypted PKCS#8 PEM private key
     * ({@code -----BEGIN PRIVATE KEY-----}; RSA, EC, Ed25519 or Ed448) in {@code privateKeyPem}.
     * The files are read now.
     *
     * @throws IllegalArgumentException naming the file that holds no certificate or no usable key,
     *     or when the key does not fit the certificate
     * @throws java.io.UncheckedIOException if a file cannot be read
     */
    public Builder tls(Path certificateChainPem, Path privateKeyPem) {
      Objects.requireNonNull(certificateChainPem, "certificateChainPem");
      Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      return tls(TlsFiles.fromPem(certificateChainPem, privateKeyPem));
    }

    /**
     * Serves TLS with the key entry of the PKCS#12 or JKS key store {@code keyStore}, whose store
     * and key are protected by {@code password}. The file is read now.
     *
     * @throws IllegalArgumentException naming the file when it is not a key store, the password is
     *     wrong, or it holds no key
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public Builder tls(Path keyStore, char[] password) {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(password, "password");
      return tls(TlsFiles.fromKeyStore(keyStore, password));
    }

    /**
     * Whether the server stops itself gracefully (with {@link #stopTimeout(Duration)}) when the JVM
     * shuts down, such as on SIGTERM or Ctrl-C; false unless set. The hook is removed when the
     * server is stopped before.
     */
    public Builder shutdownHook(boolean enabled) {
      this.shutdownHook = enabled;
      return this;
    }

    /**
     * Adds a listener that hears of every finished exchange and upgraded connection, such as a
     * bridge to a metrics library; see {@link ServerListener}.
     */
    public Builder listener(ServerListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds a server that has not started.
     *
     * @throws IllegalStateException if no application was given, or client certificates were asked
     *     for without TLS
     */
    public OwinServer build() {
      if (appFactory == null) {
        throw new IllegalStateException(
            "server needs an application: call app(...) or configure(...) first");
      }
      if (clientAuth != ClientAuth.NONE && sslContext == null) {
        throw new IllegalStateException(
            "clientAuth " + clientAuth + " needs TLS: call tls(sslContext) too");
      }
      return new OwinServer(new Builder(this), appFactory);
    }

    private static Duration positive(Duration timeout, String name) {
      Objects.requireNonNull(timeout, name);
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() == 0) {
        throw new IllegalArgumentException(name + " must be at least 1 ms, got " + timeout);
      }
      return timeout;
    }
  }
}
