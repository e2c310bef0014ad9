package io.owin4j.undertow;

import io.owin4j.api.AppFunc;
import io.owin4j.undertow.internal.ExchangeCall;
import io.owin4j.undertow.internal.ExchangeObserver;
import io.owin4j.undertow.internal.HostSettings;
import io.owin4j.undertow.internal.RequestChecks;
import io.owin4j.undertow.internal.WebSocketRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * An Undertow {@link HttpHandler} that runs an OWIN application: usable on its own or inside an
 * existing handler chain.
 *
 * <pre>{@code
 * HttpHandler chain = Handlers.path()
 *     .addPrefixPath("/owin", OwinHttpHandler.of(app))   // owin.RequestPathBase is "/owin"
 *     .addPrefixPath("/static", resourceHandler);
 * Undertow.builder().addHttpListener(8080, "127.0.0.1").setHandler(chain).build().start();
 * }</pre>
 *
 * <p>Behind a prefix handler the matched prefix becomes {@code owin.RequestPathBase} and the rest
 * {@code owin.RequestPath}. The handler completes the exchange itself: handlers after it in the chain
 * never see the request. It may be called on an IO thread or on a worker thread; see {@link
 * Dispatch} for where the application runs.
 *
 * <p>Connection-level protection stays with the Undertow it runs in: {@link OwinServer} also sets
 * the limits of {@code docs/RELIABILITY.md} and reads HTTP/2 header blocks through a guard of its
 * own (Undertow 2.4 counts no CONTINUATION frames and may serve a request before its header block
 * ended); an Undertow built around this handler has Undertow's behaviour there.
 *
 * <h2>Responses</h2>
 *
 * Body writes collect in a buffer of {@link Builder#responseBufferSize} bytes. When the application
 * completes with its whole body in that buffer and has set no {@code Content-Length}, the host sets
 * it; otherwise (the buffer filled or the application flushed) the body is sent as it comes, chunked
 * on HTTP/1.1 unless the application set a length. A failure before any byte reached the network
 * gives a 500 with no body (and is logged); a failure after that aborts the connection (HTTP/1.x)
 * or resets the stream (HTTP/2).
 *
 * <h2>Extensions</h2>
 *
 * Every request offers {@code sendfile.SendAsync} ({@link io.owin4j.api.features.SendFileFeature}):
 * zero-copy on plain HTTP/1.x when the response has a length, through one direct buffer otherwise
 * (TLS, HTTP/2, chunked), never through the heap. A valid RFC 6455 handshake offers {@code
 * websocket.Accept} ({@link io.owin4j.api.features.WebSocketFeature}), with permessage-deflate when
 * the client offers it ({@link Builder#webSocketCompression(WebSocketCompression)}) and a maximum
 * message size ({@link Builder#webSocketMaxMessageSize}); any other HTTP/1.1 upgrade request offers
 * {@code opaque.Upgrade} ({@link io.owin4j.api.features.OpaqueUpgradeFeature}), whose stream starts
 * with the bytes the client sent right after its request. An application may accept or upgrade while it
 * still runs and keep its stage pending while it uses the connection; when the stage completes the
 * host closes the connection, answering a close the WebSocket peer sent. WebSocket stages complete
 * on the connection's IO thread, so their continuations must not block; the opaque stream blocks,
 * and is handed over on a worker thread.
 *
 * <h2>Observing</h2>
 *
 * Every exchange ends with a JFR event {@code io.owin4j.Exchange} (method, path, status, body bytes
 * sent, outcome, duration) and every WebSocket or opaque upgrade with {@code
 * io.owin4j.WebSocketSession}; {@link Builder#listener} listeners hear of the same. A failure the
 * host handles for the application is logged once at WARNING or SEVERE; a client that went away is
 * counted ({@link #clientDisconnects()}), not logged.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: one instance serves every request.
 */
public final class OwinHttpHandler implements HttpHandler {
  private final HostSettings settings;
  private final ExchangeObserver observer;

  private OwinHttpHandler(HostSettings settings, ExchangeObserver observer) {
    this.settings = settings;
    this.observer = observer;
  }

  /** A handler running {@code app} on Undertow's worker threads, with default settings. */
  public static OwinHttpHandler of(AppFunc app) {
    return builder(app).build();
  }

  /** A builder for a handler running {@code app}. */
  public static Builder builder(AppFunc app) {
    return new Builder(app);
  }

  /**
   * Runs the application for {@code exchange} and ends the exchange when its stage completes. A
   * request whose framing or headers break the rules a proxy relies on (an unknown or misplaced
   * transfer coding, an invalid {@code Content-Length}, CR, LF or NUL in a header value) gets 400
   * (501 for an unsupported coding) without reaching the application, and its connection closes.
   */
  @Override
  public void handleRequest(HttpServerExchange exchange) {
    if (RequestChecks.accept(exchange)) {
      new ExchangeCall(settings, observer, exchange).start();
    }
  }

  /**
   * How many exchanges of this handler ended because the client went away before the response
   * was sent in full. Such ends are counted here (and reported to the {@link ServerListener}s),
   * never logged.
   */
  public long clientDisconnects() {
    return observer.clientDisconnects();
  }

  /** The WebSockets this handler opened and that are still open. */
  WebSocketRegistry webSockets() {
    return settings.webSockets();
  }

  @Override
  public String toString() {
    return "OwinHttpHandler{" + settings + "}";
  }

  static long checkWebSocketMaxMessageSize(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("webSocketMaxMessageSize must be positive, got " + bytes);
    }
    return bytes;
  }

  static int checkResponseBufferSize(int bytes) {
    if (bytes < 0 || bytes > 16 * 1024 * 1024) {
      throw new IllegalArgumentException(
          "responseBufferSize must be in [0, 16777216] bytes, got " + bytes);
    }
    return bytes;
  }

  /** Configures an {@link OwinHttpHandler}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder {
    /** The default of {@link #responseBufferSize(int)}: 16 KiB. */
    public static final int DEFAULT_RESPONSE_BUFFER_SIZE = 16 * 1024;

    /** The default of {@link #webSocketMaxMessageSize(long)}: 16 MiB. */
    public static final long DEFAULT_WEB_SOCKET_MAX_MESSAGE_SIZE = 16L * 1024 * 1024;

    private final AppFunc app;
    private Dispatch dispatch = Dispatch.WORKER;
    private @Nullable Executor executor;
    private int responseBufferSize = DEFAULT_RESPONSE_BUFFER_SIZE;
    private WebSocketCompression webSocketCompression = WebSocketCompression.defaults();
    private long webSocketMaxMessageSize = DEFAULT_WEB_SOCKET_MAX_MESSAGE_SIZE;
    private final List<ServerListener> listeners = new ArrayList<>();

    private Builder(AppFunc app) {
      this.app = Objects.requireNonNull(app, "app");
    }

    /** Where the application is invoked; {@link Dispatch#WORKER} unless set. */
    public Builder dispatch(Dispatch dispatch) {
      this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
      return this;
    }

    /**
     * The executor that runs the application under {@link Dispatch#WORKER}; Undertow's worker pool of
     * the connection unless set. Any executor works, such as {@code
     * Executors.newVirtualThreadPerTaskExecutor()} on Java 21 or later. A request the executor
     * rejects gets a 503. The handler never shuts the executor down.
     */
    public Builder workerExecutor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * How many body bytes collect before they go to the network; also the largest body that gets an
     * automatic {@code Content-Length}.
     *
     * @throws IllegalArgumentException if not in [0, 16 MiB]
     */
    public Builder responseBufferSize(int bytes) {
      this.responseBufferSize = checkResponseBufferSize(bytes);
      return this;
    }

    /**
     * Whether WebSocket messages are compressed ({@code permessage-deflate}, RFC 7692) when the
     * client offers it, with {@link WebSocketCompression#defaults()}; true unless set. Shorthand
     * for {@link #webSocketCompression(WebSocketCompression)} with the defaults or {@link
     * WebSocketCompression#disabled()}.
     */
    public Builder webSocketCompression(boolean enabled) {
      this.webSocketCompression =
          enabled ? WebSocketCompression.defaults() : WebSocketCompression.disabled();
      return this;
    }

    /**
     * How WebSocket messages are compressed when the client offers {@code permessage-deflate}:
     * the size below which a message goes out uncompressed, the deflate level, context takeover
     * (see {@link WebSocketCompression}); {@link WebSocketCompression#defaults()} unless set.
     */
    public Builder webSocketCompression(WebSocketCompression compression) {
      this.webSocketCompression = Objects.requireNonNull(compression, "webSocketCompression");
      return this;
    }

    /**
     * The largest WebSocket message a receive accepts; a longer one fails the receive and closes
     * the WebSocket with status 1009 (message too big). 16 MiB unless set.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder webSocketMaxMessageSize(long bytes) {
      this.webSocketMaxMessageSize = checkWebSocketMaxMessageSize(bytes);
      return this;
    }

    /**
     * Adds a listener that hears of every finished exchange and upgraded connection; listeners are
     * called in the order they were added. See {@link ServerListener} for its threading.
     */
    public Builder listener(ServerListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Builds the handler. */
    public OwinHttpHandler build() {
      return new OwinHttpHandler(
          new HostSettings(
              app,
              dispatch == Dispatch.IO_THREAD,
              executor,
              responseBufferSize,
              webSocketCompression,
              webSocketMaxMessageSize),
          new ExchangeObserver(listeners));
    }
  }
}
