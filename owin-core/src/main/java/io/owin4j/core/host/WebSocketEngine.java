package io.owin4j.core.host;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketState;
import io.owin4j.core.host.WebSocketTransport.IncomingMessage;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The WebSocket protocol, written once for every host: a {@link WebSocket} over a {@link
 * WebSocketTransport} that only moves frames.
 *
 * <h2>Receiving</h2>
 *
 * The transport reads frames all the time, so pings are answered even while the application is not
 * receiving; data messages and the peer's close wait in arrival order for the application, and past
 * 64 of them the transport pauses (the peer then meets back-pressure). A receive gets what has
 * arrived of the current message, up to its buffer: the fragments of a message are delivered as
 * they come. When a result fills the buffer, one byte is read ahead to learn whether the message
 * ended there, so the last result carries {@code endOfMessage} without an extra empty one. A
 * message longer than the maximum size fails the receive with {@link ProtocolException} and closes
 * with 1009. A close with an empty payload is reported as 1005.
 *
 * <h2>Sending</h2>
 *
 * The rules of {@link WebSocketProtocol} and {@link MessageSequence} apply. Frames are written in
 * call order; {@code endOfMessage} false leaves the message open. A send stage completes once its
 * frame was written to the connection. One send and one receive may be pending at a time; nothing
 * may be sent after the close was sent.
 *
 * <h2>Ending</h2>
 *
 * When the application is done ({@link #applicationCompleted}): a close the peer sent is echoed;
 * after a close this side sent, the host waits up to {@value #CLOSE_TIMEOUT_MILLIS} ms for the
 * peer's answer; a socket neither side closed, or an application that failed, is aborted. A lost
 * connection fails the pending receive and send with {@link IOException} (the abnormal closure of
 * RFC 6455, 1006).
 *
 * <h2>Threading</h2>
 *
 * The public methods may be called on any thread; all state changes run on the transport's thread,
 * and the stages complete there: their continuations must not block.
 */
public final class WebSocketEngine implements WebSocket {
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
  private static final VarHandle RECEIVING;
  private static final VarHandle SENDING;

  static {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    try {
      RECEIVING = lookup.findVarHandle(WebSocketEngine.class, "receiving", boolean.class);
      SENDING = lookup.findVarHandle(WebSocketEngine.class, "sending", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final WebSocketTransport transport;
  private final ReceivePump receiver;
  private final SendQueue sender;
  private final MessageSequence outgoing = new MessageSequence();
  // Whether a receive, and a send, is pending: claimed on any thread with a compare-and-set through
  // RECEIVING and SENDING, which spares a session two atomic objects.
  private volatile boolean receiving;
  private volatile boolean sending;

  // Read on any thread; written on the transport's thread, except closeSent (by close()).
  private volatile boolean closeSent;
  private volatile boolean closeReceived;
  private volatile boolean closeDelivered;
  private volatile boolean aborted;
  private volatile @Nullable Integer closeStatus;
  private volatile @Nullable String closeDescription;

  // Transport thread only.
  private boolean finishing;
  private @Nullable CompletableFuture<Void> closeFrameWritten;
  private @Nullable Runnable closeTimeout;

  /**
   * An engine over {@code transport}; the transport delivers frames to it from now on.
   *
   * @param maxMessageSize the largest message, in bytes, a receive accepts
   */
  public WebSocketEngine(WebSocketTransport transport, long maxMessageSize) {
    this.transport = Objects.requireNonNull(transport, "transport");
    if (maxMessageSize <= 0) {
      throw new IllegalArgumentException("maxMessageSize must be positive, got " + maxMessageSize);
    }
    this.receiver = new ReceivePump(this, transport, maxMessageSize);
    this.sender = new SendQueue(this, transport);
  }

  @Override
  public CompletionStage<Void> send(
      ByteBuffer data, int messageType, boolean endOfMessage, CancellationToken cancel) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(cancel, "cancel");
    WebSocketProtocol.checkSend(messageType, data, endOfMessage);
    if (messageType == WebSocketMessageTypes.CLOSE) {
      return sendClose(WebSocketProtocol.closeOf(data, endOfMessage), cancel);
    }
    outgoing.check(messageType);
    startSend();
    outgoing.sent(messageType, endOfMessage);
    return sender.enqueue(new SendQueue.Send(data, messageType, endOfMessage, true), cancel);
  }

  @Override
  public CompletionStage<WebSocketReceiveResult> receive(
      ByteBuffer buffer, CancellationToken cancel) {
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(cancel, "cancel");
    if (!buffer.hasRemaining() || buffer.isReadOnly()) {
      throw new IllegalArgumentException(
          "buffer must be writable and have room to receive into, got " + buffer);
    }
    if (closeDelivered) {
      throw new IllegalStateException(
          "cannot receive: the peer's close was received, and nothing arrives after it");
    }
    if (!RECEIVING.compareAndSet(this, false, true)) {
      throw new IllegalStateException(
          "a receive is already pending on this WebSocket: wait for its stage before the next one");
    }
    return receiver.start(new ReceivePump.Receive(buffer), cancel);
  }

  @Override
  public CompletionStage<Void> close(int status, String description, CancellationToken cancel) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(cancel, "cancel");
    return sendClose(WebSocketProtocol.close(status, description), cancel);
  }

  private CompletionStage<Void> sendClose(WebSocketProtocol.Close close, CancellationToken cancel) {
    startSend();
    closeSent = true;
    outgoing.sent(WebSocketMessageTypes.CLOSE, true);
    return sender.enqueue(
        new SendQueue.Send(close.payload(), WebSocketMessageTypes.CLOSE, true, true), cancel);
  }

  /** Claims the one pending send; fails when a send is pending or the close was sent. */
  private void startSend() {
    if (closeSent) {
      throw new IllegalStateException(
          "nothing may be sent on this WebSocket: its close was sent already");
    }
    if (!SENDING.compareAndSet(this, false, true)) {
      throw new IllegalStateException(
          "a send is already pending on this WebSocket: wait for its stage before the next one");
    }
  }

  @Override
  public WebSocketState state() {
    if (closeSent && closeReceived) {
      return WebSocketState.CLOSED;
    }
    if (aborted) {
      return WebSocketState.ABORTED;
    }
    if (closeSent) {
      return WebSocketState.CLOSE_SENT;
    }
    return closeReceived ? WebSocketState.CLOSE_RECEIVED : WebSocketState.OPEN;
  }

  @Override
  public @Nullable Integer closeStatus() {
    return closeStatus;
  }

  @Override
  public @Nullable String closeDescription() {
    return closeDescription;
  }

  @Override
  public @Nullable String subProtocol() {
    return transport.subProtocol();
  }

  @Override
  public void abort() {
    transport.execute(this::abortNow);
  }

  /**
   * The application is done with the socket: ends the connection as the protocol requires (see
   * "Ending"). May be called on any thread, once.
   *
   * @param failure the application's failure, or null when it succeeded
   */
  public void applicationCompleted(@Nullable Throwable failure) {
    transport.execute(() -> end(failure));
  }

  private void end(@Nullable Throwable failure) {
    if (finishing) {
      return;
    }
    finishing = true;
    receiver.discardWaiting();
    if (failure != null || aborted || !(closeSent || closeReceived)) {
      abortNow();
      return;
    }
    if (!closeSent) {
      Integer status = closeStatus;
      closeSent = true;
      sender.enqueueHostClose(
          new WebSocketProtocol.Close(
                  status == null ? WebSocketProtocol.NO_STATUS : status,
                  Objects.requireNonNullElse(closeDescription, ""))
              .payload());
    }
    closeTimeout = transport.schedule(this::abortNow, CLOSE_TIMEOUT_MILLIS);
    closeWhenDone();
  }

  /** Closes the connection once both closes passed, when the application is done. */
  private void closeWhenDone() {
    CompletableFuture<Void> written = closeFrameWritten;
    if (finishing && closeReceived && written != null) {
      written.whenComplete((ignored, failure) -> transport.close());
    }
  }

  // ---- events from the transport, on its thread ----

  /** A data message began to arrive from the peer. */
  public void messageArrived(IncomingMessage message) {
    receiver.messageArrived(message);
  }

  /** A ping arrived: answered unless a close was sent or received. */
  public void pingArrived(ByteBuffer payload) {
    if (!closeSent && !closeReceived) {
      transport.pong(payload);
    }
  }

  /** The peer's close arrived, with its frame payload. */
  public void closeArrived(ByteBuffer payload) {
    WebSocketProtocol.Close close = WebSocketProtocol.peerClose(payload);
    closeStatus = close.status();
    closeDescription = close.description();
    closeReceived = true;
    if (finishing) {
      closeWhenDone();
    } else {
      receiver.closeArrived(close.status(), close.description());
    }
  }

  /**
   * Reading failed outside a message: the peer violated the protocol (and the transport answered
   * with a close of its own) or went away.
   */
  public void readFailed(IOException e) {
    if (transport.closeFrameSent()) {
      closeSent = true;
    }
    receiver.readFailed(e);
  }

  /** The connection ended without a close frame from the peer (1006). */
  public void peerVanished() {
    if (!closeReceived) {
      aborted = true;
      readFailed(new IOException("the peer closed the connection without a close frame (1006)"));
    }
  }

  /**
   * Reading a message (or a control frame) failed: the peer broke off mid-frame, or violated the
   * protocol inside it. The receive fails with {@code e}, and the connection is dropped unless the
   * transport is closing it with a close frame of its own to a peer that is still there.
   */
  public void messageFailed(IOException e) {
    // The failure first, so that the connection's closing reports it rather than a plain loss.
    receiver.messageFailed(e);
    // A peer that went away answers no close: the transport's close frame (which may wait behind
    // a message this side left open) would hold the connection for nothing.
    if (transport.closeFrameSent() && !aborted) {
      closeSent = true;
    } else {
      abortNow();
    }
    receiver.pump();
  }

  /** The connection closed: everything still waiting fails. */
  public void connectionClosed() {
    if (!(closeSent && closeReceived)) {
      aborted = true;
    }
    Runnable timeout = closeTimeout;
    if (timeout != null) {
      timeout.run();
    }
    IOException lost =
        new IOException(
            "the WebSocket connection closed"
                + (closeReceived ? "" : " without a close frame (abnormal closure, 1006)"));
    receiver.connectionClosed(lost);
    sender.connectionClosed(lost);
  }

  // ---- for the pump and the queue ----

  boolean finishing() {
    return finishing;
  }

  void closeDelivered() {
    closeDelivered = true;
  }

  void receiveDone() {
    receiving = false;
  }

  void sendDone() {
    sending = false;
  }

  void closeFrameQueued(CompletableFuture<Void> written) {
    closeFrameWritten = written;
  }

  /** Sends a close of the host's own unless one was sent: 1009 for a message too big. */
  void closeByHost(WebSocketProtocol.Close close) {
    if (!closeSent) {
      closeSent = true;
      sender.enqueueHostClose(close.payload());
    }
  }

  void abortNow() {
    if (!transport.isOpen()) {
      return;
    }
    aborted = true;
    transport.close();
  }

  @Override
  public String toString() {
    return "WebSocketEngine{" + state() + ", " + transport + "}";
  }
}
