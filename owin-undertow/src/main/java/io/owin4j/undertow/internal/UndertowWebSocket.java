package io.owin4j.undertow.internal;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketState;
import io.owin4j.core.host.MessageSequence;
import io.owin4j.core.host.WebSocketProtocol;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketFrameType;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * A {@link WebSocket} over Undertow's RFC 6455 channel, which parses and validates the frames
 * (masking, opcodes, UTF-8 of text, close codes) and answers violations with close 1002 or 1007.
 *
 * <h2>Receiving</h2>
 *
 * The channel reads frames all the time, so pings are answered (and pongs dropped) even while the
 * application is not receiving; data messages and the peer's close wait in arrival order for the
 * application, at most {@value #MAX_WAITING_MESSAGES} of them before reading pauses (the peer then
 * meets TCP back-pressure). A receive gets what has arrived of the current message, up to its
 * buffer: the fragments of a message are delivered as they come, never gathered first. When a
 * result fills the buffer, one byte is read ahead to learn whether the message ended there, so the
 * last result carries {@code endOfMessage} without an extra empty one. A message longer than the
 * maximum size fails the receive with {@link ProtocolException} and closes with 1009.
 *
 * <h2>Sending</h2>
 *
 * Frames are written in call order; {@code endOfMessage} false leaves the message open, and its
 * bytes go out as a frame without FIN. A send stage completes once its frame was written to the
 * connection, so a slow peer holds back the sender: at most one frame buffer per connection waits.
 * A close sent while a message is still open ends that message with an empty final fragment first.
 * Undertow refuses data after the peer's close has arrived: such a send fails with {@link
 * IOException}.
 *
 * <h2>Ending</h2>
 *
 * When the application is done ({@link #applicationCompleted}): a close the peer sent is echoed;
 * after a close this side sent, the host waits up to {@value #CLOSE_TIMEOUT_MILLIS} ms for the
 * peer's answer; a socket neither side closed, or an application that failed, is aborted. A lost
 * connection fails the pending receive and send with {@link IOException} (the abnormal closure of
 * RFC 6455, 1006) and frees what waited.
 *
 * <h2>Threading</h2>
 *
 * The public methods may be called on any thread; all channel work runs on the connection's IO
 * thread, and the stages complete there: their continuations must not block.
 */
final class UndertowWebSocket
    implements WebSocket, UpgradedConnection, ChannelListener<WebSocketChannel> {
  private static final Logger LOG = Logger.getLogger(UndertowWebSocket.class.getName());

  private static final int MAX_WAITING_MESSAGES = 64;
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;

  private final WebSocketChannel channel;
  private final XnioIoThread ioThread;
  private final long maxMessageSize;
  private final Receiver receiver = new Receiver();
  private final Sender sender = new Sender();

  // Read on any thread; written on the IO thread, except closeSent (by close() on the caller).
  private volatile boolean closeSent;
  private volatile boolean closeReceived;
  private volatile boolean closeDelivered;
  private volatile boolean aborted;
  private volatile @Nullable Integer closeStatus;
  private volatile @Nullable String closeDescription;
  private final MessageSequence outgoing = new MessageSequence();

  private final AtomicBoolean receiving = new AtomicBoolean();
  private final AtomicBoolean sending = new AtomicBoolean();

  // IO thread only.
  private boolean finishing;
  private @Nullable CompletableFuture<Void> closeFrameWritten;
  private XnioExecutor.@Nullable Key closeTimeout;

  private UndertowWebSocket(WebSocketChannel channel, long maxMessageSize) {
    this.channel = channel;
    this.ioThread = channel.getIoThread();
    this.maxMessageSize = maxMessageSize;
  }

  /**
   * The socket over {@code channel}, reading from now on.
   *
   * @param maxMessageSize the largest message, in bytes, a receive accepts
   */
  static UndertowWebSocket open(WebSocketChannel channel, long maxMessageSize) {
    UndertowWebSocket socket = new UndertowWebSocket(channel, maxMessageSize);
    channel.addCloseTask(closed -> socket.connectionClosed());
    channel.getReceiveSetter().set(socket);
    channel.resumeReceives();
    return socket;
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
    WebSocketFrameType type = frameType(messageType);
    outgoing.check(messageType);
    startSend();
    outgoing.sent(messageType, endOfMessage);
    return sender.enqueue(new Send(data, type, endOfMessage, true), cancel);
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
    if (!receiving.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "a receive is already pending on this WebSocket: wait for its stage before the next one");
    }
    return receiver.start(new Receive(buffer), cancel);
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
    return sender.enqueue(new Send(close.payload(), WebSocketFrameType.CLOSE, true, true), cancel);
  }

  /** Claims the one pending send; fails when a send is pending or the close was sent. */
  private void startSend() {
    if (closeSent) {
      throw new IllegalStateException(
          "nothing may be sent on this WebSocket: its close was sent already");
    }
    if (!sending.compareAndSet(false, true)) {
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
    return channel.getSubProtocol();
  }

  @Override
  public void abort() {
    onIoThread(this::abortNow);
  }

  @Override
  public void applicationCompleted(@Nullable Throwable failure) {
    onIoThread(() -> end(failure));
  }

  /** See the class comment, "Ending". */
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
    closeTimeout =
        ioThread.executeAfter(this::abortNow, CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    closeWhenDone();
  }

  /** Closes the connection once both closes passed, when the application is done. */
  private void closeWhenDone() {
    CompletableFuture<Void> written = closeFrameWritten;
    if (finishing && closeReceived && written != null) {
      written.whenComplete((ignored, failure) -> IoUtils.safeClose(channel));
    }
  }

  private void abortNow() {
    if (!channel.isOpen()) {
      return;
    }
    aborted = true;
    IoUtils.safeClose(channel);
  }

  /** Undertow closed the channel: everything still waiting fails, and the buffers go back. */
  private void connectionClosed() {
    if (!(closeSent && closeReceived)) {
      aborted = true;
    }
    XnioExecutor.Key timeout = closeTimeout;
    if (timeout != null) {
      timeout.remove();
    }
    IOException lost =
        new IOException(
            "the WebSocket connection closed"
                + (closeReceived ? "" : " without a close frame (abnormal closure, 1006)"));
    receiver.connectionClosed(lost);
    sender.connectionClosed(lost);
  }

  /** The channel's receive listener: takes the next frame that arrived; IO thread. */
  @Override
  public void handleEvent(WebSocketChannel ignored) {
    receiver.receiveFrame();
  }

  private void onIoThread(Runnable task) {
    if (Thread.currentThread() == ioThread) {
      task.run();
      return;
    }
    try {
      ioThread.execute(task);
    } catch (RejectedExecutionException stopping) {
      // The server is stopping and its IO threads end; what waits ends with the connection.
      LOG.log(Level.FINE, "the IO thread of " + this + " refused work; closing", stopping);
      IoUtils.safeClose(channel);
    }
  }

  private static WebSocketFrameType frameType(int messageType) {
    return switch (messageType) {
      case WebSocketMessageTypes.TEXT -> WebSocketFrameType.TEXT;
      case WebSocketMessageTypes.BINARY -> WebSocketFrameType.BINARY;
      case WebSocketMessageTypes.PING -> WebSocketFrameType.PING;
      default -> WebSocketFrameType.PONG;
    };
  }

  private static int messageType(StreamSourceFrameChannel message) {
    return message.getType() == WebSocketFrameType.TEXT
        ? WebSocketMessageTypes.TEXT
        : WebSocketMessageTypes.BINARY;
  }

  private static boolean isData(WebSocketFrameType type) {
    return type == WebSocketFrameType.TEXT || type == WebSocketFrameType.BINARY;
  }

  private static void complete(CompletableFuture<?> future, @Nullable Throwable failure) {
    if (failure == null) {
      future.complete(null);
    } else {
      future.completeExceptionally(failure);
    }
  }

  @Override
  public String toString() {
    return "UndertowWebSocket{" + state() + ", " + channel.getPeerAddress() + "}";
  }

  /** The close the peer sent, waiting behind the messages that arrived before it. */
  private record PeerClose(int status, String description) {}

  /** One pending receive. */
  private static final class Receive {
    final ByteBuffer buffer;
    final CompletableFuture<WebSocketReceiveResult> done = new CompletableFuture<>();
    CancellationToken.Registration cancellation = CancellationToken.Registration.EMPTY;

    Receive(ByteBuffer buffer) {
      this.buffer = buffer;
    }
  }

  /** The receiving side; all on the IO thread except {@link #start}. */
  private final class Receiver {
    // Data messages (StreamSourceFrameChannel) and the peer's close (PeerClose), in arrival order.
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private final ByteBuffer lookAhead = ByteBuffer.allocate(1);
    private final ChannelListener<StreamSourceFrameChannel> dataListener =
        message -> {
          message.suspendReads();
          pump();
        };
    private @Nullable Receive pending;
    private @Nullable IOException failure;
    private boolean paused;
    private long messageBytes;
    private int readAhead = -1;

    CompletionStage<WebSocketReceiveResult> start(Receive receive, CancellationToken cancel) {
      onIoThread(
          () -> {
            pending = receive;
            // Registered here so that a token cancelled already finds the receive pending.
            receive.cancellation = cancel.register(() -> onIoThread(() -> cancelled(receive)));
            pump();
          });
      return receive.done;
    }

    private void cancelled(Receive receive) {
      if (pending == receive) {
        settle(null, new CancellationException("the receive was cancelled"));
        abortNow();
      }
    }

    /** The channel announced a frame (or more data of one, or the end of the connection). */
    void receiveFrame() {
      StreamSourceFrameChannel frame;
      try {
        frame = channel.receive();
      } catch (IOException e) {
        // Undertow answered the violation with a close of its own (1002 or 1007).
        readFailed(e);
        return;
      }
      if (frame == null) {
        if (channel.isCloseFrameReceived() && !closeReceived) {
          // Undertow marks a connection that ended without a close frame as if one came.
          aborted = true;
          readFailed(
              new IOException("the peer closed the connection without a close frame (1006)"));
        }
        return;
      }
      switch (frame.getType()) {
        case PING -> readControl(frame, this::answerPing);
        case PONG -> readControl(frame, payload -> {});
        case CLOSE -> readControl(frame, this::peerClosed);
        default -> {
          if (finishing || failure != null) {
            IoUtils.safeClose(frame);
            return;
          }
          waiting.add(frame);
          if (waiting.size() >= MAX_WAITING_MESSAGES && !paused) {
            paused = true;
            channel.suspendReceives();
          }
          pump();
        }
      }
    }

    private void answerPing(ByteBuffer payload) {
      if (!closeSent && !closeReceived) {
        WebSockets.sendPong(payload, channel, null);
      }
    }

    private void peerClosed(ByteBuffer payload) {
      WebSocketProtocol.Close close = WebSocketProtocol.peerClose(payload);
      int status = close.status();
      String description = close.description();
      closeStatus = status;
      closeDescription = description;
      closeReceived = true;
      if (finishing) {
        closeWhenDone();
      } else {
        waiting.add(new PeerClose(status, description));
        pump();
      }
    }

    /** Reads a control frame's payload, then hands it to {@code then}; waits for it if needed. */
    private void readControl(StreamSourceFrameChannel frame, Consumer<ByteBuffer> then) {
      ByteBuffer payload = ByteBuffer.allocate(WebSocketProtocol.MAX_CONTROL_PAYLOAD + 1);
      ChannelListener<StreamSourceFrameChannel> reader =
          new ChannelListener<>() {
            @Override
            public void handleEvent(StreamSourceFrameChannel ignored) {
              try {
                int read;
                while ((read = frame.read(payload)) > 0) {
                  // keep reading: the payload is small and partly here
                }
                if (read == -1) {
                  frame.suspendReads();
                  then.accept(payload.flip());
                } else {
                  frame.getReadSetter().set(this);
                  frame.resumeReads();
                }
              } catch (IOException e) {
                messageFailed(e);
              }
            }
          };
      reader.handleEvent(frame);
    }

    private void readFailed(IOException e) {
      if (failure == null) {
        failure = e;
        if (channel.isCloseFrameSent()) {
          closeSent = true;
        }
      }
      pump();
    }

    /**
     * Reading a frame's payload failed: the peer broke off mid-frame, or Undertow found a violation
     * inside it. Nothing can be read past a broken frame, so whatever waits behind it goes, the
     * receive fails with {@code e}, and the connection is dropped unless Undertow is closing it with
     * a close frame of its own. The broken message must leave the queue: left at its head, every
     * pump would read it again and fail again.
     */
    private void messageFailed(IOException e) {
      readAhead = -1;
      messageBytes = 0;
      discardWaiting();
      if (failure == null) {
        failure = e;
      }
      if (channel.isCloseFrameSent()) {
        closeSent = true;
      } else {
        abortNow();
      }
      pump();
    }

    /** Moves the pending receive forward as far as what arrived allows. */
    void pump() {
      Receive receive = pending;
      if (receive == null) {
        return;
      }
      Object next = waiting.peek();
      if (next instanceof StreamSourceFrameChannel message) {
        deliverData(receive, message);
      } else if (next instanceof PeerClose) {
        waiting.poll();
        closeDelivered = true;
        settle(new WebSocketReceiveResult(WebSocketMessageTypes.CLOSE, true, 0), null);
      } else if (failure != null) {
        settle(null, failure);
      } else if (!channel.isOpen()) {
        settle(null, new IOException("the WebSocket connection is closed"));
      }
    }

    private void deliverData(Receive receive, StreamSourceFrameChannel message) {
      ByteBuffer buffer = receive.buffer;
      int start = buffer.position();
      boolean end = false;
      try {
        if (readAhead >= 0) {
          buffer.put((byte) readAhead);
          readAhead = -1;
        }
        while (buffer.hasRemaining()) {
          int read = message.read(buffer);
          if (read == -1) {
            end = true;
            break;
          }
          if (read == 0) {
            break;
          }
        }
        if (!end && !buffer.hasRemaining()) {
          lookAhead.clear();
          int read = message.read(lookAhead);
          if (read == -1) {
            end = true;
          } else if (read == 1) {
            readAhead = lookAhead.get(0) & 0xFF;
          }
        }
      } catch (IOException e) {
        buffer.position(start);
        messageFailed(e);
        return;
      }
      int count = buffer.position() - start;
      if (count == 0 && !end) {
        message.getReadSetter().set(dataListener);
        message.resumeReads();
        return;
      }
      messageBytes += count;
      if (messageBytes > maxMessageSize) {
        buffer.position(start);
        tooBig(message);
        return;
      }
      if (end) {
        waiting.poll();
        messageBytes = 0;
        if (paused && waiting.size() < MAX_WAITING_MESSAGES / 2) {
          paused = false;
          channel.resumeReceives();
        }
      }
      settle(new WebSocketReceiveResult(messageType(message), end, count), null);
    }

    /** The message outgrew the maximum: close with 1009 and fail this and later receives. */
    private void tooBig(StreamSourceFrameChannel message) {
      failure =
          new ProtocolException(
              "a message exceeded the maximum of "
                  + maxMessageSize
                  + " bytes; the WebSocket is closing with 1009 (message too big)");
      readAhead = -1;
      discardWaiting();
      if (!closeSent) {
        closeSent = true;
        sender.enqueueHostClose(
            WebSocketProtocol.close(WebSocketProtocol.MESSAGE_TOO_BIG, "message too big")
                .payload());
      }
      pump();
    }

    private void settle(@Nullable WebSocketReceiveResult result, @Nullable Throwable failed) {
      Receive receive = Objects.requireNonNull(pending);
      pending = null;
      receive.cancellation.close();
      receiving.set(false);
      if (failed == null) {
        receive.done.complete(result);
      } else {
        receive.done.completeExceptionally(failed);
      }
    }

    /** The application is done: what waits for it is dropped. */
    void discardWaiting() {
      Object each;
      while ((each = waiting.poll()) != null) {
        if (each instanceof StreamSourceFrameChannel message) {
          IoUtils.safeClose(message);
        }
      }
      if (paused) {
        paused = false;
        channel.resumeReceives();
      }
    }

    void connectionClosed(IOException lost) {
      if (failure == null) {
        failure = lost;
      }
      discardWaiting();
      if (pending != null) {
        settle(null, failure);
      }
    }
  }

  /** One frame (or message part) to send. */
  private static final class Send {
    final ByteBuffer data;
    final WebSocketFrameType type;
    final boolean endOfMessage;
    final boolean fromApplication;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    CancellationToken.Registration cancellation = CancellationToken.Registration.EMPTY;
    @Nullable StreamSinkFrameChannel controlSink;
    boolean shutDown;

    Send(ByteBuffer data, WebSocketFrameType type, boolean endOfMessage, boolean fromApplication) {
      this.data = data;
      this.type = type;
      this.endOfMessage = endOfMessage;
      this.fromApplication = fromApplication;
    }

    boolean isControl() {
      return !isData(type);
    }
  }

  /** The sending side: one frame at a time, in order; all on the IO thread except enqueue. */
  private final class Sender {
    private final ArrayDeque<Send> queue = new ArrayDeque<>(2);
    private final ChannelListener<StreamSinkFrameChannel> writeListener =
        sink -> {
          sink.suspendWrites();
          step();
        };
    private @Nullable Send current;
    // The sink of the data message being sent; it stays open between its fragments.
    private @Nullable StreamSinkFrameChannel message;
    private @Nullable IOException failure;

    CompletionStage<Void> enqueue(Send send, CancellationToken cancel) {
      onIoThread(
          () -> {
            add(send);
            if (!send.done.isDone()) {
              send.cancellation = cancel.register(() -> onIoThread(() -> cancelled(send)));
            }
          });
      return send.done;
    }

    /** Sends a close of the host's own: an echo, or 1009. */
    void enqueueHostClose(ByteBuffer payload) {
      add(new Send(payload, WebSocketFrameType.CLOSE, true, false));
    }

    private void add(Send send) {
      if (send.type == WebSocketFrameType.CLOSE) {
        closeFrameWritten = send.done;
      }
      IOException failed = failure;
      if (failed != null) {
        done(send, failed);
        return;
      }
      queue.add(send);
      next();
    }

    private void cancelled(Send send) {
      if (!send.done.isDone()) {
        queue.remove(send);
        if (current == send) {
          current = null;
        }
        done(send, new CancellationException("the send was cancelled"));
        abortNow();
      }
    }

    /** Starts the next send unless one is under way (a completion may have started it). */
    private void next() {
      if (current == null) {
        current = queue.poll();
        if (current != null) {
          step();
        }
      }
    }

    /** Moves the current send forward; waits for the channel when it is full. */
    private void step() {
      Send send = current;
      if (send == null) {
        return;
      }
      try {
        StreamSinkFrameChannel open = message;
        if (send.type == WebSocketFrameType.CLOSE && open != null) {
          // Undertow holds a close behind an unfinished message: end the message first.
          open.shutdownWrites();
          if (!open.flush()) {
            awaitWritable(open);
            return;
          }
          message = null;
        }
        if (!send.isControl() && channel.isCloseFrameReceived()) {
          refuse(
              send,
              new IOException(
                  "cannot send: the peer closed the WebSocket, and this host sends nothing after a"
                      + " received close but the close answering it"));
          return;
        }
        StreamSinkFrameChannel sink = sinkFor(send);
        while (send.data.hasRemaining()) {
          if (sink.write(send.data) == 0) {
            awaitWritable(sink);
            return;
          }
        }
        if (send.endOfMessage && !send.shutDown) {
          send.shutDown = true;
          sink.shutdownWrites();
        }
        if (!sink.flush()) {
          awaitWritable(sink);
          return;
        }
        if (send.endOfMessage && !send.isControl()) {
          message = null;
        }
      } catch (IOException e) {
        failed(e);
        return;
      }
      current = null;
      done(send, null);
      next();
    }

    /** Fails {@code send} alone: the connection stays as it is. */
    private void refuse(Send send, IOException reason) {
      current = null;
      if (!send.isControl()) {
        message = null;
      }
      done(send, reason);
      next();
    }

    private StreamSinkFrameChannel sinkFor(Send send) throws IOException {
      if (!send.isControl()) {
        StreamSinkFrameChannel sink = message;
        if (sink == null) {
          sink = channel.send(send.type);
          message = sink;
        }
        return sink;
      }
      StreamSinkFrameChannel sink = send.controlSink;
      if (sink == null) {
        sink = channel.send(send.type);
        send.controlSink = sink;
      }
      return sink;
    }

    private void awaitWritable(StreamSinkFrameChannel sink) {
      sink.getWriteSetter().set(writeListener);
      sink.resumeWrites();
    }

    private void failed(IOException e) {
      failure = e;
      Send send = current;
      current = null;
      if (send != null) {
        done(send, e);
      }
      Send queued;
      while ((queued = queue.poll()) != null) {
        done(queued, e);
      }
      abortNow();
    }

    private void done(Send send, @Nullable Throwable failed) {
      send.cancellation.close();
      if (send.fromApplication) {
        sending.set(false);
      }
      if (failed != null && send.fromApplication) {
        LOG.log(Level.FINE, "a WebSocket send failed", failed);
      }
      complete(send.done, failed);
    }

    void connectionClosed(IOException lost) {
      if (failure == null) {
        failure = lost;
      }
      Send send = current;
      current = null;
      if (send != null) {
        done(send, lost);
      }
      Send queued;
      while ((queued = queue.poll()) != null) {
        done(queued, lost);
      }
    }
  }
}
