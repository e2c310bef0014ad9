package io.owin4j.middleware.websocket;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketState;
import io.owin4j.core.host.ExchangeLifecycle;
import io.owin4j.middleware.websocket.WebSocketEndpoint.Settings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The {@link WebSocketSession} of one accepted socket: the receive loop that reassembles messages,
 * the send queue that writes one frame at a time, the timers, and the close handshake.
 *
 * <p>Handler calls go through {@link SerialEvents}, so they never overlap; the send queue and the
 * lifecycle state are guarded by {@link #lock}, which is never held while a handler or the host
 * runs.
 */
final class MessageSession implements WebSocketSession {
  private static final System.Logger LOG =
      System.getLogger(MessageSession.class.getPackageName());

  /** RFC 6455: a close frame's reason is at most 123 bytes of UTF-8. */
  private static final int MAX_REASON_BYTES = 123;

  private static final int NO_STATUS_RECEIVED = 1005;
  private static final int RECEIVE_CHUNK = 16 * 1024;
  private static final int FIRST_MESSAGE_CAPACITY = 4 * 1024;

  private enum State {
    OPEN,
    CLOSING,
    ENDED
  }

  /** A queued frame: a whole data message, a ping, or this side's close. */
  private record Outgoing(
      int type, ByteBuffer data, @Nullable CloseStatus close, CompletableFuture<Void> result) {
    boolean isData() {
      return type == WebSocketMessageTypes.TEXT || type == WebSocketMessageTypes.BINARY;
    }
  }

  private final WebSocket socket;
  private final Settings settings;
  private final Map<String, List<String>> query;
  private final SerialEvents events = new SerialEvents();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();
  private final List<Runnable> endListeners = new CopyOnWriteArrayList<>();

  private final Object lock = new Object();
  // Guarded by lock.
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private State state = State.OPEN;
  private @Nullable CloseStatus endedBy;
  private boolean writing;
  private boolean closeQueued;
  private boolean closeSent;
  private boolean peerClosed;
  private boolean pingsRefused;
  private @Nullable ScheduledFuture<?> pingTask;
  private @Nullable ScheduledFuture<?> idleTask;
  private @Nullable ScheduledFuture<?> closeTask;

  private volatile long lastActivity = System.nanoTime();

  // The receive loop's own: one receive is pending at a time, and each result is handled in an
  // event, so these are touched by one thread at a time in happens-before order.
  private final ByteBuffer chunk;
  private byte[] message = new byte[0];
  private int messageLength;
  private int messageType;

  MessageSession(WebSocket socket, Settings settings, Map<String, List<String>> query) {
    this.socket = socket;
    this.settings = settings;
    this.query = query;
    // One byte past the limit is enough to tell that a message is too big.
    this.chunk =
        ByteBuffer.allocate((int) Math.min(RECEIVE_CHUNK, settings.maxMessageSize() + 1L));
  }

  /** Starts the session; the stage completes once it ended and the close handler ran. */
  CompletionStage<Void> run() {
    startTimers();
    events.post(
        () -> {
          callHandler(() -> settings.onOpen().accept(this));
          receiveNext();
        });
    return ended;
  }

  // ---- sending ----------------------------------------------------------------------------------

  @Override
  public CompletionStage<Void> sendText(String text) {
    Objects.requireNonNull(text, "text");
    return submit(WebSocketMessageTypes.TEXT, StandardCharsets.UTF_8.encode(text));
  }

  @Override
  public CompletionStage<Void> sendBinary(ByteBuffer data) {
    Objects.requireNonNull(data, "data");
    ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
    return submit(WebSocketMessageTypes.BINARY, copy);
  }

  /** Queues a message whose buffer nobody else changes; true if it was queued. */
  boolean enqueue(int type, ByteBuffer data) {
    return !submit(type, data).isCompletedExceptionally();
  }

  private CompletableFuture<Void> submit(int type, ByteBuffer data) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    SendQueueFullException full = null;
    synchronized (lock) {
      if (state != State.OPEN) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "cannot send on a WebSocket session that is "
                    + (state == State.CLOSING ? "closing" : "closed")
                    + " (" + describe(endedBy) + ")"));
      }
      if (queue.size() >= settings.maxQueuedMessages()) {
        full = new SendQueueFullException(settings.maxQueuedMessages());
      } else {
        queue.add(new Outgoing(type, data, null, result));
      }
    }
    if (full != null) {
      result.completeExceptionally(full);
      reportError(full);
      startClose(new CloseStatus(CloseStatus.POLICY_VIOLATION, "send queue full"), true);
      return result;
    }
    pump();
    return result;
  }

  /** Writes queued frames one at a time, until the queue is empty or a write is pending. */
  private void pump() {
    while (true) {
      Outgoing next;
      synchronized (lock) {
        if (writing || state == State.ENDED) {
          return;
        }
        next = queue.poll();
        if (next == null) {
          return;
        }
        writing = true;
      }
      CompletableFuture<Void> written = new CompletableFuture<>();
      try {
        write(next)
            .whenComplete(
                (done, failure) -> {
                  if (failure == null) {
                    written.complete(null);
                  } else {
                    written.completeExceptionally(failure);
                  }
                });
      } catch (RuntimeException refused) {
        written.completeExceptionally(refused);
      }
      if (!written.isDone()) {
        written.whenComplete(
            (done, failure) -> {
              sent(next, failure);
              pump();
            });
        return;
      }
      sent(next, failureOf(written));
    }
  }

  private CompletionStage<Void> write(Outgoing frame) {
    CloseStatus close = frame.close();
    if (close != null) {
      return socket.close(close.code(), close.reason(), CancellationToken.NONE);
    }
    return socket.send(frame.data(), frame.type(), true, CancellationToken.NONE);
  }

  private void sent(Outgoing frame, @Nullable Throwable failure) {
    boolean endNow = false;
    boolean peerHadClosed;
    synchronized (lock) {
      writing = false;
      peerHadClosed = peerClosed;
      if (frame.close() != null && failure == null) {
        closeSent = true;
        endNow = peerClosed;
      }
    }
    if (failure == null) {
      if (frame.isData()) {
        touch();
      }
      frame.result().complete(null);
      if (endNow) {
        end();
      }
      return;
    }
    Throwable cause = ExchangeLifecycle.unwrap(failure);
    frame.result().completeExceptionally(cause);
    if (frame.close() == null && peerHadClosed) {
      // The peer's close overtook this message or ping (hosts refuse both after it); the stage
      // says so, and the echo of the close goes next.
      return;
    }
    if (frame.type() == WebSocketMessageTypes.PING && !isConnectionLoss(cause)) {
      stopPinging(cause);
      return;
    }
    reportError(cause);
    if (isConnectionLoss(cause)
        || !startClose(new CloseStatus(CloseStatus.INTERNAL_ERROR, "send failed"), true)) {
      abort();
    }
  }

  // ---- receiving --------------------------------------------------------------------------------

  private void receiveNext() {
    synchronized (lock) {
      if (state == State.ENDED) {
        return;
      }
    }
    CompletionStage<WebSocketReceiveResult> receiving;
    try {
      receiving = socket.receive(chunk.clear(), CancellationToken.NONE);
    } catch (RuntimeException refused) {
      receiving = CompletableFuture.failedFuture(refused);
    }
    receiving.whenComplete((result, failure) -> events.post(() -> received(result, failure)));
  }

  private void received(@Nullable WebSocketReceiveResult result, @Nullable Throwable failure) {
    if (failure != null || result == null) {
      receiveFailed(ExchangeLifecycle.unwrap(Objects.requireNonNull(failure)));
      return;
    }
    if (result.isClose()) {
      peerClosed(socket.closeStatus(), socket.closeDescription());
      return;
    }
    touch();
    boolean open;
    synchronized (lock) {
      open = state == State.OPEN;
    }
    if (!open) {
      // Closing: what still arrives is read and dropped until the peer's close comes.
      messageLength = 0;
      receiveNext();
      return;
    }
    if (messageLength == 0) {
      messageType = result.messageType();
    }
    long total = (long) messageLength + result.count();
    if (total > settings.maxMessageSize()) {
      messageLength = 0;
      reportError(new MessageTooBigException(settings.maxMessageSize(), total));
      startClose(new CloseStatus(CloseStatus.MESSAGE_TOO_BIG, "message too big"), false);
      receiveNext();
      return;
    }
    append(chunk.flip());
    if (result.endOfMessage()) {
      deliver();
    }
    receiveNext();
  }

  private void append(ByteBuffer part) {
    int needed = messageLength + part.remaining();
    if (needed > message.length) {
      int grown = Math.max(needed, Math.max(FIRST_MESSAGE_CAPACITY, message.length * 2));
      message = Arrays.copyOf(message, Math.min(grown, settings.maxMessageSize()));
    }
    int count = part.remaining();
    part.get(message, messageLength, count);
    messageLength += count;
  }

  private void deliver() {
    int length = messageLength;
    messageLength = 0;
    if (messageType == WebSocketMessageTypes.BINARY) {
      ByteBuffer data = ByteBuffer.wrap(Arrays.copyOf(message, length));
      callHandler(() -> settings.onBinary().accept(this, data));
      return;
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(message, 0, length))
              .toString();
    } catch (CharacterCodingException malformed) {
      reportError(malformed);
      startClose(new CloseStatus(CloseStatus.INVALID_PAYLOAD, "invalid UTF-8"), false);
      return;
    }
    callHandler(() -> settings.onText().accept(this, text));
  }

  private void receiveFailed(Throwable failure) {
    boolean expected;
    synchronized (lock) {
      if (state == State.ENDED) {
        return;
      }
      // After this side's close, a peer that drops the connection instead of answering is rude
      // but not a fault of the session.
      expected = closeSent;
    }
    if (!expected) {
      reportError(failure);
    }
    abort();
  }

  private void peerClosed(@Nullable Integer status, @Nullable String description) {
    CloseStatus peer =
        new CloseStatus(
            status == null ? NO_STATUS_RECEIVED : status, description == null ? "" : description);
    List<Outgoing> discarded = new ArrayList<>();
    boolean endNow;
    synchronized (lock) {
      peerClosed = true;
      if (endedBy == null) {
        endedBy = peer;
      }
      if (state == State.OPEN) {
        state = State.CLOSING;
      }
      // Nothing but the close may follow the peer's close (hosts refuse data after it).
      queue.removeIf(
          frame -> {
            if (frame.close() == null) {
              discarded.add(frame);
              return true;
            }
            return false;
          });
      if (!closeQueued) {
        closeQueued = true;
        queue.add(closeFrame(echoOf(peer)));
      }
      endNow = closeSent;
    }
    fail(discarded, "the peer closed the session (" + describe(peer) + ") before it was sent");
    if (endNow) {
      end();
      return;
    }
    scheduleCloseTimeout();
    pump();
  }

  // ---- closing ----------------------------------------------------------------------------------

  @Override
  public CompletionStage<Void> close(int code, String reason) {
    Objects.requireNonNull(reason, "reason");
    checkCloseCode(code);
    int reasonBytes = StandardCharsets.UTF_8.encode(reason).remaining();
    if (reasonBytes > MAX_REASON_BYTES) {
      throw new IllegalArgumentException(
          "close reason must be at most " + MAX_REASON_BYTES + " bytes of UTF-8, got "
              + reasonBytes);
    }
    startClose(new CloseStatus(code, reason), false);
    return ended.copy();
  }

  /**
   * Queues this side's close, after what is queued unless {@code discardQueued}; false if the
   * session was no longer open.
   */
  private boolean startClose(CloseStatus status, boolean discardQueued) {
    List<Outgoing> discarded = new ArrayList<>();
    synchronized (lock) {
      if (state != State.OPEN) {
        return false;
      }
      state = State.CLOSING;
      endedBy = status;
      if (discardQueued) {
        discarded.addAll(queue);
        queue.clear();
      }
      closeQueued = true;
      queue.add(closeFrame(status));
    }
    fail(discarded, "the session closed (" + describe(status) + ") before it was sent");
    scheduleCloseTimeout();
    pump();
    return true;
  }

  /** Drops the connection and ends the session; what was queued fails. */
  private void abort() {
    List<Outgoing> discarded;
    synchronized (lock) {
      if (state == State.ENDED) {
        return;
      }
      if (endedBy == null) {
        endedBy = new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "");
      }
      discarded = new ArrayList<>(queue);
      queue.clear();
    }
    try {
      socket.abort();
    } finally {
      fail(discarded, "the connection was aborted before it was sent");
      end();
    }
  }

  private void end() {
    CloseStatus status;
    List<Outgoing> discarded;
    synchronized (lock) {
      if (state == State.ENDED) {
        return;
      }
      state = State.ENDED;
      status = endedBy != null ? endedBy : new CloseStatus(CloseStatus.ABNORMAL_CLOSURE, "");
      discarded = new ArrayList<>(queue);
      queue.clear();
      cancel(pingTask);
      cancel(idleTask);
      cancel(closeTask);
    }
    fail(discarded, "the session ended (" + describe(status) + ") before it was sent");
    for (Runnable listener : endListeners) {
      listener.run();
    }
    events.post(
        () -> {
          try {
            settings.onClose().accept(this, status);
          } catch (RuntimeException | Error failure) {
            rethrowFatal(failure);
            invokeErrorHandler(failure);
          }
          ended.complete(null);
        });
  }

  /** Runs {@code listener} once the session ended; at once if it has. */
  void onEnd(Runnable listener) {
    endListeners.add(listener);
    boolean hasEnded;
    synchronized (lock) {
      hasEnded = state == State.ENDED;
    }
    if (hasEnded && endListeners.remove(listener)) {
      listener.run();
    }
  }

  private static Outgoing closeFrame(CloseStatus status) {
    return new Outgoing(
        WebSocketMessageTypes.CLOSE, ByteBuffer.allocate(0), status, new CompletableFuture<>());
  }

  /** The close to answer the peer's with: the same, unless its code may not be sent. */
  private static CloseStatus echoOf(CloseStatus peer) {
    return isSendable(peer.code())
        ? peer
        : new CloseStatus(CloseStatus.NORMAL_CLOSURE, "");
  }

  private static boolean isSendable(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1011)
        || (code >= 3000 && code <= 4999);
  }

  private static void checkCloseCode(int code) {
    if (!isSendable(code)) {
      throw new IllegalArgumentException(
          "close code must be one an endpoint may send (1000-1003, 1007-1011 or 3000-4999), got "
              + code);
    }
  }

  // ---- timers -----------------------------------------------------------------------------------

  private void startTimers() {
    Duration ping = settings.pingInterval();
    if (!ping.isZero()) {
      long nanos = ping.toNanos();
      ScheduledFuture<?> task =
          schedule(() -> settings.scheduler().scheduleAtFixedRate(
              this::ping, nanos, nanos, TimeUnit.NANOSECONDS));
      synchronized (lock) {
        pingTask = task;
      }
    }
    if (!settings.idleTimeout().isZero()) {
      scheduleIdleCheck(settings.idleTimeout().toNanos());
    }
  }

  private void ping() {
    synchronized (lock) {
      if (state != State.OPEN || pingsRefused || writing || !queue.isEmpty()) {
        return;
      }
      queue.add(
          new Outgoing(
              WebSocketMessageTypes.PING, ByteBuffer.allocate(0), null, new CompletableFuture<>()));
    }
    pump();
  }

  private void stopPinging(Throwable refusal) {
    synchronized (lock) {
      pingsRefused = true;
      cancel(pingTask);
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        "the host refused to send a ping; this session sends no more pings",
        refusal);
  }

  private void scheduleIdleCheck(long delayNanos) {
    ScheduledFuture<?> task =
        schedule(
            () -> settings.scheduler().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS));
    synchronized (lock) {
      if (state == State.ENDED) {
        cancel(task);
      } else {
        idleTask = task;
      }
    }
  }

  private void checkIdle() {
    long timeout = settings.idleTimeout().toNanos();
    long idleFor = System.nanoTime() - lastActivity;
    if (idleFor >= timeout) {
      startClose(new CloseStatus(CloseStatus.GOING_AWAY, "idle timeout"), false);
    } else {
      scheduleIdleCheck(timeout - idleFor);
    }
  }

  private void scheduleCloseTimeout() {
    synchronized (lock) {
      if (closeTask != null || state == State.ENDED) {
        return;
      }
    }
    long nanos = settings.closeTimeout().toNanos();
    ScheduledFuture<?> task =
        schedule(
            () ->
                settings.scheduler().schedule(
                    () -> {
                      LOG.log(
                          System.Logger.Level.DEBUG,
                          "the peer did not finish the close handshake within "
                              + settings.closeTimeout()
                              + "; aborting");
                      abort();
                    },
                    nanos,
                    TimeUnit.NANOSECONDS));
    synchronized (lock) {
      if (state == State.ENDED) {
        cancel(task);
      } else {
        closeTask = task;
      }
    }
  }

  private interface Scheduling {
    ScheduledFuture<?> start();
  }

  private static @Nullable ScheduledFuture<?> schedule(Scheduling scheduling) {
    try {
      return scheduling.start();
    } catch (RejectedExecutionException stopped) {
      LOG.log(System.Logger.Level.WARNING, "the WebSocket timer refused a task", stopped);
      return null;
    }
  }

  private static void cancel(@Nullable ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  private void touch() {
    lastActivity = System.nanoTime();
  }

  // ---- errors -----------------------------------------------------------------------------------

  /** Runs a handler; what it throws goes to the error handler and closes with 1011. */
  private void callHandler(Runnable handler) {
    try {
      handler.run();
    } catch (RuntimeException | Error failure) {
      rethrowFatal(failure);
      invokeErrorHandler(failure);
      startClose(new CloseStatus(CloseStatus.INTERNAL_ERROR, "internal error"), false);
    }
  }

  private void reportError(Throwable failure) {
    events.post(() -> invokeErrorHandler(failure));
  }

  private void invokeErrorHandler(Throwable failure) {
    var onError = settings.onError();
    if (onError == null) {
      LOG.log(
          isConnectionLoss(failure) ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
          "WebSocket session failed: " + failure,
          failure);
      return;
    }
    try {
      onError.accept(this, failure);
    } catch (RuntimeException | Error handlerFailure) {
      rethrowFatal(handlerFailure);
      handlerFailure.addSuppressed(failure);
      LOG.log(System.Logger.Level.WARNING, "the WebSocket error handler failed", handlerFailure);
    }
  }

  private boolean isConnectionLoss(Throwable failure) {
    if (socket.state() == WebSocketState.ABORTED) {
      return true;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static void rethrowFatal(Throwable failure) {
    if (failure instanceof VirtualMachineError fatal) {
      throw fatal;
    }
  }

  private static void fail(List<Outgoing> frames, String why) {
    for (Outgoing frame : frames) {
      frame.result().completeExceptionally(new IllegalStateException("message discarded: " + why));
    }
  }

  private static @Nullable Throwable failureOf(CompletableFuture<Void> done) {
    try {
      done.join();
      return null;
    } catch (CompletionException failure) {
      return failure;
    } catch (java.util.concurrent.CancellationException cancelled) {
      return cancelled;
    }
  }

  private static String describe(@Nullable CloseStatus status) {
    if (status == null) {
      return "no close yet";
    }
    return status.code() + (status.reason().isEmpty() ? "" : " " + status.reason());
  }

  // ---- the rest of the interface ----------------------------------------------------------------

  @Override
  public boolean isOpen() {
    synchronized (lock) {
      return state == State.OPEN;
    }
  }

  @Override
  public @Nullable String query(String name) {
    Objects.requireNonNull(name, "name");
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public @Nullable String subProtocol() {
    return socket.subProtocol();
  }

  @Override
  public ConcurrentMap<String, Object> attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "WebSocketSession{" + state + ", " + queue.size() + " queued"
          + (endedBy == null ? "" : ", " + describe(endedBy)) + "}";
    }
  }
}
