package io.owin4j.middleware.websocket;

import io.owin4j.api.AppFunc;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.OwinContext;
import io.owin4j.core.OwinFeatureCollection;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An application that accepts WebSockets and speaks in whole messages: handlers for open, text,
 * binary, close and error, over the typed {@link WebSocketFeature}, so it runs on every host.
 *
 * <pre>{@code
 * WebSocketGroup room = new WebSocketGroup();
 * AppFunc chat = WebSocketEndpoint.builder()
 *     .onOpen(room::join)
 *     .onText((session, text) -> room.broadcastText(text))
 *     .build();
 * }</pre>
 *
 * <h2>Requests</h2>
 *
 * A WebSocket handshake is accepted, choosing the {@linkplain Builder#subProtocol subprotocol} when
 * the client offered it; a query string that is not valid fails the request before the handshake,
 * as {@link OwinContext#queryParameters()} does. Any other request gets 426 with {@code Upgrade:
 * websocket} (400 on HTTP/2, which has no Upgrade). The application's stage covers the whole
 * session: it completes once the session ended and the close handler ran.
 *
 * <h2>Handlers</h2>
 *
 * For one session the handlers never run at the same time, and run in order: open first, then each
 * message in arrival order (text decoded as UTF-8, binary as a fresh buffer the handler may keep),
 * then close exactly once with the {@link CloseStatus} that ended the session; error may come in
 * between. They run on whichever thread delivered the event (often a host's IO thread) and MUST NOT
 * block: send through the session (sends never block) or hand slow work to an executor.
 *
 * <h2>Rules and what breaking them does</h2>
 *
 * <table>
 *   <caption>What closes a session</caption>
 *   <tr><th>event</th><th>error handler gets</th><th>close</th></tr>
 *   <tr><td>a message over {@link Builder#maxMessageSize}</td><td>{@link
 *       MessageTooBigException}</td><td>1009 {@code "message too big"}</td></tr>
 *   <tr><td>a text message that is not UTF-8</td><td>{@link
 *       java.nio.charset.CharacterCodingException}</td><td>1007 {@code "invalid UTF-8"}</td></tr>
 *   <tr><td>a send over {@link Builder#maxQueuedMessages}</td><td>{@link
 *       SendQueueFullException}</td><td>1008 {@code "send queue full"}</td></tr>
 *   <tr><td>a handler throws</td><td>its exception</td><td>1011 {@code "internal error"}</td></tr>
 *   <tr><td>the host fails a send</td><td>its failure</td><td>1011 {@code "send failed"}, or abort
 *       when the connection is gone</td></tr>
 *   <tr><td>the connection is lost</td><td>the host's failure</td><td>none possible: close
 *       handler gets 1006</td></tr>
 *   <tr><td>nothing sent or received for {@link Builder#idleTimeout}</td><td>nothing</td><td>1001
 *       {@code "idle timeout"}</td></tr>
 * </table>
 *
 * <p>Once this side sent its close it waits up to {@link Builder#closeTimeout} for the peer's
 * close, discarding data that still arrives, then aborts. Without an error handler, errors are
 * logged through {@link System.Logger} ({@code io.owin4j.middleware.websocket}): a lost connection
 * at DEBUG, anything else at WARNING.
 *
 * <h2>Pings</h2>
 *
 * With a {@link Builder#pingInterval}, a ping goes out on that interval while the session is open
 * and its send queue is empty, keeping intermediaries from dropping a quiet connection and finding
 * a dead one (its write fails, which aborts the session). Hosts answer the peer's pongs and pings
 * themselves and deliver neither, so pongs do not count as activity for the idle timeout. A host
 * that cannot send pings (the OWIN WebSocket extension lets hosts drop them) refuses the first one;
 * the session then stops pinging and logs that at DEBUG.
 *
 * <p>Immutable and thread-safe; one endpoint serves any number of sessions.
 */
public final class WebSocketEndpoint implements AppFunc {
  private final Settings settings;

  private WebSocketEndpoint(Settings settings) {
    this.settings = settings;
  }

  /** A builder with no handlers and the default limits. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    WebSocketFeature webSockets = OwinFeatureCollection.of(env).get(WebSocketFeature.class);
    OwinContext context = OwinContext.of(env);
    if (webSockets == null || !webSockets.isWebSocketRequest()) {
      if (context.protocol().startsWith("HTTP/1.")) {
        context.setStatusCode(426).setResponseHeader("Upgrade", "websocket");
        return context.writeTextAsync("Upgrade Required: this endpoint speaks WebSocket only\n");
      }
      context.setStatusCode(400);
      return context.writeTextAsync("Bad Request: WebSocket needs an HTTP/1.1 Upgrade request\n");
    }
    String chosen = settings.subProtocol != null && offers(context, settings.subProtocol)
        ? settings.subProtocol
        : null;
    // Parsed now: the handshake's environment is no place to read from once the socket is open.
    Map<String, List<String>> query = context.queryParameters();
    return webSockets
        .accept(WebSocketAcceptContext.of(chosen))
        .thenCompose(socket -> new MessageSession(socket, settings, query).run());
  }

  private static boolean offers(OwinContext context, String subProtocol) {
    String[] offered = context.requestHeaders().get("Sec-WebSocket-Protocol");
    for (String value : offered == null ? new String[0] : offered) {
      for (String token : value.split(",")) {
        // Subprotocol names are case-sensitive tokens (RFC 6455, section 4.1).
        if (token.trim().equals(subProtocol)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The handlers and limits, shared read-only by every session of one endpoint. */
  record Settings(
      Consumer<WebSocketSession> onOpen,
      BiConsumer<WebSocketSession, String> onText,
      BiConsumer<WebSocketSession, ByteBuffer> onBinary,
      BiConsumer<WebSocketSession, CloseStatus> onClose,
      @Nullable BiConsumer<WebSocketSession, Throwable> onError,
      int maxMessageSize,
      int maxQueuedMessages,
      Duration pingInterval,
      Duration idleTimeout,
      Duration closeTimeout,
      @Nullable String subProtocol,
      ScheduledExecutorService scheduler) {}

  /**
   * Builds a {@link WebSocketEndpoint}. Every handler is optional and does nothing unless set;
   * setting one again replaces it. For one thread.
   */
  public static final class Builder {
    /** The default {@link #maxMessageSize}: 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

    /** The default {@link #maxQueuedMessages}. */
    public static final int DEFAULT_MAX_QUEUED_MESSAGES = 256;

    /** The default {@link #closeTimeout}: 10 seconds. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private Consumer<WebSocketSession> onOpen = session -> {};
    private BiConsumer<WebSocketSession, String> onText = (session, text) -> {};
    private BiConsumer<WebSocketSession, ByteBuffer> onBinary = (session, data) -> {};
    private BiConsumer<WebSocketSession, CloseStatus> onClose = (session, status) -> {};
    private @Nullable BiConsumer<WebSocketSession, Throwable> onError;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int maxQueuedMessages = DEFAULT_MAX_QUEUED_MESSAGES;
    private Duration pingInterval = Duration.ZERO;
    private Duration idleTimeout = Duration.ZERO;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private @Nullable String subProtocol;
    private @Nullable ScheduledExecutorService scheduler;

    private Builder() {}

    /** Runs when the session opened, before any message handler. */
    public Builder onOpen(Consumer<WebSocketSession> handler) {
      this.onOpen = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Runs for each whole text message. */
    public Builder onText(BiConsumer<WebSocketSession, String> handler) {
      this.onText = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Runs for each whole binary message, given as a fresh buffer the handler owns. */
    public Builder onBinary(BiConsumer<WebSocketSession, ByteBuffer> handler) {
      this.onBinary = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Runs once when the session ended, with the close that ended it. */
    public Builder onClose(BiConsumer<WebSocketSession, CloseStatus> handler) {
      this.onClose = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Runs for each failure: a handler's exception, a failed or refused send, a message too big or
     * not UTF-8, a lost connection. Without one, failures are logged. An exception it throws is
     * logged.
     */
    public Builder onError(BiConsumer<WebSocketSession, Throwable> handler) {
      this.onError = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * The largest message, in bytes, a message handler gets; a larger one closes the session with
     * 1009. {@value #DEFAULT_MAX_MESSAGE_SIZE} unless set. A host may have its own, lower limit.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxMessageSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxMessageSize must be positive, got " + bytes);
      }
      this.maxMessageSize = bytes;
      return this;
    }

    /**
     * How many messages may wait in a session's send queue besides the one being written; one more
     * fails with {@link SendQueueFullException} and closes the session with 1008. {@value
     * #DEFAULT_MAX_QUEUED_MESSAGES} unless set.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxQueuedMessages(int messages) {
      if (messages <= 0) {
        throw new IllegalArgumentException("maxQueuedMessages must be positive, got " + messages);
      }
      this.maxQueuedMessages = messages;
      return this;
    }

    /**
     * Sends a ping this often while the session is open and idle on the send side; zero (the
     * default) sends none.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder pingInterval(Duration interval) {
      this.pingInterval = notNegative("pingInterval", interval);
      return this;
    }

    /**
     * Closes the session with 1001 {@code "idle timeout"} when no message was received or sent for
     * this long; zero (the default) never does. Pings and pongs do not count.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = notNegative("idleTimeout", timeout);
      return this;
    }

    /**
     * How long a session that sent its close waits for the peer's before aborting; {@link
     * #DEFAULT_CLOSE_TIMEOUT} unless set.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder closeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("closeTimeout must be positive, got " + timeout);
      }
      this.closeTimeout = timeout;
      return this;
    }

    /** The subprotocol to choose when the client offers it; none unless set. */
    public Builder subProtocol(String subProtocol) {
      this.subProtocol = Objects.requireNonNull(subProtocol, "subProtocol");
      return this;
    }

    /**
     * Runs the ping, idle and close timers; its tasks only queue work and never block. A shared
     * daemon thread unless set; a scheduler passed here is the caller's to shut down.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The endpoint, with the handlers and limits set so far. */
    public WebSocketEndpoint build() {
      ScheduledExecutorService timers = scheduler;
      return new WebSocketEndpoint(
          new Settings(
              onOpen,
              onText,
              onBinary,
              onClose,
              onError,
              maxMessageSize,
              maxQueuedMessages,
              pingInterval,
              idleTimeout,
              closeTimeout,
              subProtocol,
              timers != null ? timers : SharedTimer.get()));
    }

    private static Duration notNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + value);
      }
      return value;
    }
  }
}
