package io.owin4j.core.host;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.ext.WebSocketMessageTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The sending side of a {@link WebSocketEngine}: frames go to the transport one at a time, in call
 * order. A cancelled send aborts the connection; a broken connection fails the current send and
 * every later one. All on the connection's thread except {@link #enqueue}.
 */
final class SendQueue {
  private static final Logger LOG = Logger.getLogger(WebSocketEngine.class.getName());

  /** One frame (or message part) to send. */
  static final class Send {
    final ByteBuffer data;
    final int messageType;
    final boolean endOfMessage;
    final boolean fromApplication;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    CancellationToken.Registration cancellation = CancellationToken.Registration.EMPTY;

    Send(ByteBuffer data, int messageType, boolean endOfMessage, boolean fromApplication) {
      this.data = data;
      this.messageType = messageType;
      this.endOfMessage = endOfMessage;
      this.fromApplication = fromApplication;
    }
  }

  private final WebSocketEngine engine;
  private final WebSocketTransport transport;
  // Usually empty or holding one: it lives as long as the connection.
  private final ArrayDeque<Send> queue = new ArrayDeque<>(1);
  private @Nullable Send current;
  private @Nullable IOException failure;

  SendQueue(WebSocketEngine engine, WebSocketTransport transport) {
    this.engine = engine;
    this.transport = transport;
  }

  CompletionStage<Void> enqueue(Send send, CancellationToken cancel) {
    transport.execute(
        () -> {
          add(send);
          if (!send.done.isDone()) {
            send.cancellation =
                cancel.register(() -> transport.execute(() -> cancelled(send)));
          }
        });
    return send.done;
  }

  /** Sends a close of the host's own: an echo, or 1009; on the connection's thread. */
  void enqueueHostClose(ByteBuffer payload) {
    add(new Send(payload, WebSocketMessageTypes.CLOSE, true, false));
  }

  private void add(Send send) {
    if (send.messageType == WebSocketMessageTypes.CLOSE) {
      engine.closeFrameQueued(send.done);
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
      engine.abortNow();
    }
  }

  /** Starts the next send unless one is under way (a completion may have started it). */
  private void next() {
    if (current != null) {
      return;
    }
    Send send = queue.poll();
    current = send;
    if (send == null) {
      return;
    }
    transport.write(
        send.messageType,
        send.data,
        send.endOfMessage,
        new WebSocketTransport.WriteListener() {
          @Override
          public void written() {
            if (current == send) {
              current = null;
              done(send, null);
              next();
            }
          }

          @Override
          public void refused(IOException reason) {
            if (current == send) {
              current = null;
              done(send, reason);
              next();
            }
          }

          @Override
          public void failed(IOException e) {
            if (current == send) {
              SendQueue.this.failed(e);
            }
          }
        });
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
    engine.abortNow();
  }

  private void done(Send send, @Nullable Throwable failed) {
    send.cancellation.close();
    if (send.fromApplication) {
      engine.sendDone();
    }
    if (failed == null) {
      send.done.complete(null);
    } else {
      if (send.fromApplication) {
        LOG.log(Level.FINE, "a WebSocket send failed", failed);
      }
      send.done.completeExceptionally(failed);
    }
  }

  /** The connection closed: the current and queued sends fail with {@code lost}. */
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
