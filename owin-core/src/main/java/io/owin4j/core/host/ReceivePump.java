package io.owin4j.core.host;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.core.host.WebSocketTransport.IncomingMessage;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The receiving side of a {@link WebSocketEngine}: data messages and the peer's close wait in
 * arrival order, at most {@value #MAX_WAITING_MESSAGES} before the transport pauses; the pending
 * receive gets what has arrived of the current message, up to its buffer. All on the connection's
 * thread except {@link #start}.
 */
final class ReceivePump {
  static final int MAX_WAITING_MESSAGES = 64;

  /** The close the peer sent, waiting behind the messages that arrived before it. */
  private record PeerClose(int status, String description) {}

  /** One pending receive. */
  static final class Receive {
    final ByteBuffer buffer;
    final CompletableFuture<WebSocketReceiveResult> done = new CompletableFuture<>();
    CancellationToken.Registration cancellation = CancellationToken.Registration.EMPTY;

    Receive(ByteBuffer buffer) {
      this.buffer = buffer;
    }
  }

  private final WebSocketEngine engine;
  private final WebSocketTransport transport;
  private final long maxMessageSize;
  // Data messages (IncomingMessage) and the peer's close (PeerClose), in arrival order; sized for
  // the usual one or two, since an idle session keeps it for the connection's life.
  private final ArrayDeque<Object> waiting = new ArrayDeque<>(1);
  // Made when a result first fills its buffer exactly: most sessions never need it.
  private @Nullable ByteBuffer lookAhead;
  private @Nullable Receive pending;
  private @Nullable IOException failure;
  private boolean paused;
  private long messageBytes;
  private int readAhead = -1;

  ReceivePump(WebSocketEngine engine, WebSocketTransport transport, long maxMessageSize) {
    this.engine = engine;
    this.transport = transport;
    this.maxMessageSize = maxMessageSize;
  }

  CompletionStage<WebSocketReceiveResult> start(Receive receive, CancellationToken cancel) {
    transport.execute(
        () -> {
          pending = receive;
          // Registered here so that a token cancelled already finds the receive pending.
          receive.cancellation =
              cancel.register(() -> transport.execute(() -> cancelled(receive)));
          pump();
        });
    return receive.done;
  }

  private void cancelled(Receive receive) {
    if (pending == receive) {
      settle(null, new CancellationException("the receive was cancelled"));
      engine.abortNow();
    }
  }

  /** A data message began to arrive. */
  void messageArrived(IncomingMessage message) {
    if (engine.finishing() || failure != null) {
      message.discard();
      return;
    }
    waiting.add(message);
    if (waiting.size() >= MAX_WAITING_MESSAGES && !paused) {
      paused = true;
      transport.pauseReceiving();
    }
    pump();
  }

  /** The peer's close arrived; the application receives it after what came before it. */
  void closeArrived(int status, String description) {
    waiting.add(new PeerClose(status, description));
    pump();
  }

  /**
   * Reading failed outside a message: the peer went away, or violated the protocol. Nothing more
   * arrives: what arrived before is still delivered, and a message that is still incomplete fails
   * with {@code e} once what arrived of it was delivered.
   */
  void readFailed(IOException e) {
    if (failure == null) {
      failure = e;
    }
    pump();
  }

  /**
   * Reading a message failed: the peer broke off mid-frame, or violated the protocol inside it.
   * Nothing can be read past a broken frame, so whatever waits behind it goes and the receive fails
   * with {@code e} at the next {@link #pump}. The broken message must leave the queue: left at its
   * head, every pump would read it again and fail again.
   */
  void messageFailed(IOException e) {
    readAhead = -1;
    messageBytes = 0;
    discardWaiting();
    if (failure == null) {
      failure = e;
    }
  }

  /** Moves the pending receive forward as far as what arrived allows. */
  void pump() {
    Receive receive = pending;
    if (receive == null) {
      return;
    }
    Object next = waiting.peek();
    if (next instanceof IncomingMessage message) {
      deliverData(receive, message);
    } else if (next instanceof PeerClose) {
      waiting.poll();
      engine.closeDelivered();
      settle(new WebSocketReceiveResult(WebSocketMessageTypes.CLOSE, true, 0), null);
    } else if (failure != null) {
      settle(null, failure);
    } else if (!transport.isOpen()) {
      settle(null, new IOException("the WebSocket connection is closed"));
    }
  }

  private void deliverData(Receive receive, IncomingMessage message) {
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
        // One byte ahead tells whether the message ended exactly here.
        ByteBuffer ahead = lookAhead;
        if (ahead == null) {
          ahead = ByteBuffer.allocate(1);
          lookAhead = ahead;
        }
        ahead.clear();
        int read = message.read(ahead);
        if (read == -1) {
          end = true;
        } else if (read == 1) {
          readAhead = ahead.get(0) & 0xFF;
        }
      }
    } catch (IOException e) {
      buffer.position(start);
      engine.messageFailed(e);
      return;
    }
    int count = buffer.position() - start;
    if (count == 0 && !end) {
      IOException ended = failure;
      if (ended != null) {
        // Reading the connection ended (readFailed): the rest of this message will never come.
        engine.messageFailed(ended);
        return;
      }
      message.awaitReadable(this::pump);
      return;
    }
    messageBytes += count;
    if (messageBytes > maxMessageSize) {
      buffer.position(start);
      tooBig();
      return;
    }
    if (end) {
      waiting.poll();
      messageBytes = 0;
      if (paused && waiting.size() < MAX_WAITING_MESSAGES / 2) {
        paused = false;
        transport.resumeReceiving();
      }
    }
    settle(new WebSocketReceiveResult(message.messageType(), end, count), null);
  }

  /** The message outgrew the maximum: close with 1009 and fail this and later receives. */
  private void tooBig() {
    failure =
        new ProtocolException(
            "a message exceeded the maximum of "
                + maxMessageSize
                + " bytes; the WebSocket is closing with 1009 (message too big)");
    readAhead = -1;
    discardWaiting();
    engine.closeByHost(WebSocketProtocol.close(WebSocketProtocol.MESSAGE_TOO_BIG, "message too big"));
    pump();
  }

  private void settle(@Nullable WebSocketReceiveResult result, @Nullable Throwable failed) {
    Receive receive = Objects.requireNonNull(pending);
    pending = null;
    receive.cancellation.close();
    engine.receiveDone();
    if (failed == null) {
      receive.done.complete(result);
    } else {
      receive.done.completeExceptionally(failed);
    }
  }

  /** What waits for the application is dropped. */
  void discardWaiting() {
    Object each;
    while ((each = waiting.poll()) != null) {
      if (each instanceof IncomingMessage message) {
        message.discard();
      }
    }
    if (paused) {
      paused = false;
      transport.resumeReceiving();
    }
  }

  /** The connection closed: a pending receive fails with {@code lost}. */
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
