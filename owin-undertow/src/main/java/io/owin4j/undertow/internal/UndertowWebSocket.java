package io.owin4j.undertow.internal;

import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.core.host.WebSocketEngine;
import io.owin4j.core.host.WebSocketProtocol;
import io.owin4j.core.host.WebSocketTransport;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketFrameType;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * The Undertow transport of a {@link WebSocketEngine}: Undertow's RFC 6455 channel parses and
 * validates the frames (masking, opcodes, UTF-8 of text, close codes) and answers violations with
 * close 1002 or 1007; this class hands what it reads to the engine and writes the engine's frames.
 *
 * <p>A data message's sink stays open between its fragments, so they go out as one message; a
 * close sent while a message is open ends that message with an empty final fragment first.
 * Undertow refuses data after the peer's close has arrived: such a write is refused.
 *
 * <h2>Flushing</h2>
 *
 * The last frame of a data message is queued on the channel without a flush and counts as written
 * at once (its bytes are the channel's); one flush at the end of the IO thread's current task sends
 * every frame queued meanwhile, so that an echo of the several messages one read brought goes out in
 * one write instead of one write per message. The batch is bounded ({@value #MAX_UNFLUSHED} bytes);
 * when a batch does not go out whole (the peer reads slower than the application sends), every
 * write waits for the socket until it has, as it would unbatched. Fragments, control frames and the
 * close are flushed at once (which sends what was queued before them, in order).
 *
 * <h2>Threading</h2>
 *
 * All channel work runs on the connection's IO thread.
 */
final class UndertowWebSocket
    implements WebSocketTransport, UpgradedConnection, ChannelListener<WebSocketChannel> {
  private static final Logger LOG = Logger.getLogger(UndertowWebSocket.class.getName());
  /** The most bytes of data messages that wait for the batch's flush. */
  static final int MAX_UNFLUSHED = 64 * 1024;

  private final WebSocketChannel channel;
  private final XnioIoThread ioThread;
  private final WebSocketEngine engine;
  // IO thread only: the sink of the data message being sent; it stays open between fragments.
  private @Nullable StreamSinkFrameChannel message;
  // IO thread only: the batch of messages queued without a flush (the last one's sink, their bytes),
  // whether its flush is scheduled, and a batch that did not go out whole yet.
  private @Nullable StreamSinkFrameChannel lastUnflushed;
  private int unflushed;
  private boolean flushScheduled;
  private @Nullable StreamSinkFrameChannel congested;
  private final Runnable flushBatch = this::flushBatch;

  private UndertowWebSocket(WebSocketChannel channel, long maxMessageSize) {
    this.channel = channel;
    this.ioThread = channel.getIoThread();
    this.engine = new WebSocketEngine(this, maxMessageSize);
  }

  /**
   * The socket over {@code channel}, reading from now on.
   *
   * @param maxMessageSize the largest message, in bytes, a receive accepts
   */
  static UndertowWebSocket open(WebSocketChannel channel, long maxMessageSize) {
    UndertowWebSocket socket = new UndertowWebSocket(channel, maxMessageSize);
    channel.addCloseTask(closed -> socket.engine.connectionClosed());
    channel.getReceiveSetter().set(socket);
    channel.resumeReceives();
    return socket;
  }

  /** The WebSocket the application uses. */
  WebSocketEngine engine() {
    return engine;
  }

  @Override
  public void applicationCompleted(@Nullable Throwable failure) {
    engine.applicationCompleted(failure);
  }

  @Override
  public void execute(Runnable task) {
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

  @Override
  public Runnable schedule(Runnable task, long millis) {
    XnioExecutor.Key key = ioThread.executeAfter(task, millis, TimeUnit.MILLISECONDS);
    return key::remove;
  }

  @Override
  public @Nullable String subProtocol() {
    return channel.getSubProtocol();
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public boolean closeFrameSent() {
    return channel.isCloseFrameSent();
  }

  @Override
  public void close() {
    IoUtils.safeClose(channel);
  }

  @Override
  public void pauseReceiving() {
    channel.suspendReceives();
  }

  @Override
  public void resumeReceiving() {
    channel.resumeReceives();
  }

  @Override
  public void pong(ByteBuffer payload) {
    WebSockets.sendPong(payload, channel, null);
  }

  /** The channel's receive listener: takes the next frame that arrived; IO thread. */
  @Override
  public void handleEvent(WebSocketChannel ignored) {
    StreamSourceFrameChannel frame;
    try {
      frame = channel.receive();
    } catch (IOException e) {
      // Undertow answered the violation with a close of its own (1002 or 1007).
      engine.readFailed(e);
      return;
    }
    if (frame == null) {
      if (channel.isCloseFrameReceived()) {
        // Undertow marks a connection that ended without a close frame as if one came.
        engine.peerVanished();
      }
      return;
    }
    switch (frame.getType()) {
      case PING -> readControl(frame, engine::pingArrived);
      case PONG -> readControl(frame, payload -> {});
      case CLOSE -> readControl(frame, engine::closeArrived);
      default -> engine.messageArrived(new Incoming(frame));
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
              engine.messageFailed(e);
            }
          }
        };
    reader.handleEvent(frame);
  }

  /** A data message as the engine reads it. */
  private static final class Incoming implements IncomingMessage {
    private final StreamSourceFrameChannel frame;

    Incoming(StreamSourceFrameChannel frame) {
      this.frame = frame;
    }

    @Override
    public int messageType() {
      return frame.getType() == WebSocketFrameType.TEXT
          ? WebSocketMessageTypes.TEXT
          : WebSocketMessageTypes.BINARY;
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
      return frame.read(buffer);
    }

    @Override
    public void awaitReadable(Runnable whenReadable) {
      frame.getReadSetter()
          .set(
              source -> {
                source.suspendReads();
                whenReadable.run();
              });
      frame.resumeReads();
    }

    @Override
    public void discard() {
      IoUtils.safeClose(frame);
    }
  }

  @Override
  public void write(int messageType, ByteBuffer data, boolean endOfMessage, WriteListener listener) {
    new Write(messageType, data, endOfMessage, listener).step();
  }

  /** One frame on its way out; waits for the channel when it is full. IO thread. */
  private final class Write {
    private final int messageType;
    private final ByteBuffer data;
    private final boolean endOfMessage;
    private final WriteListener listener;
    private final ChannelListener<StreamSinkFrameChannel> writeListener;
    private @Nullable StreamSinkFrameChannel controlSink;
    private boolean shutDown;

    Write(int messageType, ByteBuffer data, boolean endOfMessage, WriteListener listener) {
      this.messageType = messageType;
      this.data = data;
      this.endOfMessage = endOfMessage;
      this.listener = listener;
      this.writeListener =
          sink -> {
            sink.suspendWrites();
            step();
          };
    }

    void step() {
      boolean data = WebSocketProtocol.isData(messageType);
      try {
        StreamSinkFrameChannel open = message;
        if (messageType == WebSocketMessageTypes.CLOSE && open != null) {
          // Undertow holds a close behind an unfinished message: end the message first.
          open.shutdownWrites();
          if (!open.flush()) {
            awaitWritable(open);
            return;
          }
          message = null;
        }
        // Undertow fails the start of any frame but a close once it parsed the peer's close,
        // which can be before the engine hears of it: such a send (a ping crossing the peer's
        // close) is refused, not taken for a broken connection, which would drop the close echo.
        if (channel.isCloseFrameReceived() && (data || controlSink == null)) {
          IOException refusal = WebSocketProtocol.refusalAfterPeerClose(messageType);
          if (refusal != null) {
            // A message left open stays: the close that answers the peer ends it first.
            listener.refused(refusal);
            return;
          }
        }
        StreamSinkFrameChannel sink = sink(data);
        int size = this.data.remaining();
        while (this.data.hasRemaining()) {
          if (sink.write(this.data) == 0) {
            awaitWritable(sink);
            return;
          }
        }
        if (endOfMessage && !shutDown) {
          shutDown = true;
          if (data && queueInBatch(sink, size)) {
            message = null;
            listener.written();
            return;
          }
          sink.shutdownWrites();
        }
        if (!sink.flush()) {
          awaitWritable(sink);
          return;
        }
        if (endOfMessage && data) {
          message = null;
        }
      } catch (IOException e) {
        listener.failed(e);
        return;
      }
      listener.written();
    }

    private StreamSinkFrameChannel sink(boolean data) throws IOException {
      if (data) {
        StreamSinkFrameChannel sink = message;
        if (sink == null) {
          sink = channel.send(frameType(messageType));
          message = sink;
        }
        return sink;
      }
      StreamSinkFrameChannel sink = controlSink;
      if (sink == null) {
        sink = channel.send(frameType(messageType));
        controlSink = sink;
      }
      return sink;
    }

    private void awaitWritable(StreamSinkFrameChannel sink) {
      sink.getWriteSetter().set(writeListener);
      sink.resumeWrites();
    }
  }

  /**
   * Queues the last frame of a data message without a flush when the batch has room and the
   * connection keeps up; true when it did (the frame counts as written), false when the caller must
   * end the message and flush as usual.
   */
  private boolean queueInBatch(StreamSinkFrameChannel sink, int size) throws IOException {
    if (congested != null || unflushed + size > MAX_UNFLUSHED) {
      return false;
    }
    channel.setRequireExplicitFlush(true);
    try {
      sink.shutdownWrites();
    } finally {
      channel.setRequireExplicitFlush(false);
    }
    lastUnflushed = sink;
    unflushed += size;
    if (!flushScheduled) {
      flushScheduled = true;
      try {
        ioThread.execute(flushBatch);
      } catch (RejectedExecutionException stopping) {
        flushBatch();
      }
    }
    return true;
  }

  /** Sends what the batch queued; when it does not go out whole, writes wait until it has. */
  private void flushBatch() {
    flushScheduled = false;
    StreamSinkFrameChannel last = lastUnflushed;
    lastUnflushed = null;
    unflushed = 0;
    if (last == null) {
      return;
    }
    channel.flush();
    try {
      if (!last.flush()) {
        congested = last;
        last.getWriteSetter()
            .set(
                sink -> {
                  sink.suspendWrites();
                  if (congested == sink) {
                    congested = null;
                  }
                });
        last.resumeWrites();
      }
    } catch (IOException e) {
      // The connection broke; its close task tells the engine.
      LOG.log(Level.FINE, "flushing " + this + " failed", e);
    }
  }

  private static WebSocketFrameType frameType(int messageType) {
    return switch (messageType) {
      case WebSocketMessageTypes.TEXT -> WebSocketFrameType.TEXT;
      case WebSocketMessageTypes.BINARY -> WebSocketFrameType.BINARY;
      case WebSocketMessageTypes.PING -> WebSocketFrameType.PING;
      case WebSocketMessageTypes.PONG -> WebSocketFrameType.PONG;
      default -> WebSocketFrameType.CLOSE;
    };
  }

  @Override
  public String toString() {
    return "UndertowWebSocket{" + channel.getPeerAddress() + "}";
  }
}
