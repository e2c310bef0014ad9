package io.owin4j.testkit.internal;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketState;
import io.owin4j.core.host.MessageSequence;
import io.owin4j.core.host.WebSocketProtocol;
import io.owin4j.testkit.internal.FrameQueue.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The application's end of an in-memory WebSocket: the typed {@link WebSocket} the in-memory host
 * hands out on accept.
 *
 * <p>A send completes once its frame is queued within the pair's capacity. A receive delivers a
 * frame larger than the buffer in several results. A cancelled send, receive or close aborts the
 * connection, as the contract says, and its stage fails with {@link CancellationException}. Once
 * aborted, operations fail with {@link IOException}.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe; one send and one receive may be pending at a time.
 */
final class ServerWebSocket implements WebSocket {
  private final WebSocketPair pair;
  private final @Nullable String subProtocol;
  private final Object lock = new Object();
  private final MessageSequence outgoing = new MessageSequence();
  private WebSocketState state = WebSocketState.OPEN;
  private @Nullable Integer closeStatus;
  private @Nullable String closeDescription;
  private boolean sending;
  private boolean receiving;
  private @Nullable Frame partial;
  private int partialOffset;

  ServerWebSocket(WebSocketPair pair, @Nullable String subProtocol) {
    this.pair = pair;
    this.subProtocol = subProtocol;
  }

  @Override
  public CompletionStage<Void> send(
      ByteBuffer data, int messageType, boolean endOfMessage, CancellationToken cancel) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(cancel, "cancel");
    WebSocketProtocol.checkSend(messageType, data, endOfMessage);
    if (messageType == WebSocketMessageTypes.CLOSE) {
      return close(WebSocketProtocol.closeOf(data, endOfMessage), cancel);
    }
    outgoing.check(messageType);
    synchronized (lock) {
      CompletionStage<Void> refused = refuseSend("send");
      if (refused != null) {
        return refused;
      }
      sending = true;
    }
    outgoing.sent(messageType, endOfMessage);
    Frame frame = new Frame(messageType, FrameQueue.remainingBytes(data), endOfMessage);
    return watched(pair.toClient().offer(frame), cancel, this::sendDone);
  }

  @Override
  public CompletionStage<WebSocketReceiveResult> receive(
      ByteBuffer buffer, CancellationToken cancel) {
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(cancel, "cancel");
    if (!buffer.hasRemaining()) {
      throw new IllegalArgumentException("the receive buffer must have room, got " + buffer);
    }
    Frame pending;
    synchronized (lock) {
      if (receiving) {
        throw new IllegalStateException("a receive is already pending; wait for it first");
      }
      if (state == WebSocketState.ABORTED) {
        return CompletableFuture.failedFuture(new IOException("the WebSocket was aborted"));
      }
      if (state == WebSocketState.CLOSE_RECEIVED || state == WebSocketState.CLOSED) {
        throw new IllegalStateException(
            "cannot receive after the close was received; the peer sends nothing more");
      }
      receiving = true;
      pending = partial;
    }
    CompletableFuture<Frame> next =
        pending != null ? CompletableFuture.completedFuture(pending) : pair.fromClient().take();
    return watched(next.thenApply(frame -> deliver(frame, buffer)), cancel, this::receiveDone);
  }

  private WebSocketReceiveResult deliver(Frame frame, ByteBuffer buffer) {
    synchronized (lock) {
      if (frame.type() == WebSocketMessageTypes.CLOSE) {
        WebSocketProtocol.Close close = frame.close();
        closeStatus = close.status();
        closeDescription = close.description();
        state =
            state == WebSocketState.CLOSE_SENT
                ? WebSocketState.CLOSED
                : WebSocketState.CLOSE_RECEIVED;
        return new WebSocketReceiveResult(WebSocketMessageTypes.CLOSE, true, 0);
      }
      int offset = frame == partial ? partialOffset : 0;
      int count = Math.min(frame.payload().length - offset, buffer.remaining());
      buffer.put(frame.payload(), offset, count);
      boolean consumed = offset + count == frame.payload().length;
      partial = consumed ? null : frame;
      partialOffset = consumed ? 0 : offset + count;
      return new WebSocketReceiveResult(frame.type(), consumed && frame.last(), count);
    }
  }

  @Override
  public CompletionStage<Void> close(int status, String description, CancellationToken cancel) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(cancel, "cancel");
    return close(WebSocketProtocol.close(status, description), cancel);
  }

  private CompletionStage<Void> close(WebSocketProtocol.Close close, CancellationToken cancel) {
    synchronized (lock) {
      CompletionStage<Void> refused = refuseSend("close");
      if (refused != null) {
        return refused;
      }
      sending = true;
      state =
          state == WebSocketState.CLOSE_RECEIVED
              ? WebSocketState.CLOSED
              : WebSocketState.CLOSE_SENT;
    }
    outgoing.sent(WebSocketMessageTypes.CLOSE, true);
    return watched(pair.toClient().offer(Frame.close(close)), cancel, this::sendDone);
  }

  /** A refusal for a send or close in the current state, or null when it may go ahead. */
  private @Nullable CompletionStage<Void> refuseSend(String what) {
    if (state == WebSocketState.ABORTED) {
      return CompletableFuture.failedFuture(new IOException("the WebSocket was aborted"));
    }
    if (state == WebSocketState.CLOSE_SENT || state == WebSocketState.CLOSED) {
      throw new IllegalStateException("cannot " + what + " after the close was sent");
    }
    if (sending) {
      throw new IllegalStateException(
          "cannot " + what + " while a send is pending; wait for it first");
    }
    return null;
  }

  private void sendDone() {
    synchronized (lock) {
      sending = false;
    }
  }

  private void receiveDone() {
    synchronized (lock) {
      receiving = false;
    }
  }

  /**
   * Clears the pending flag before {@code stage}'s dependents run, and aborts the connection when
   * {@code cancel} fires first.
   */
  private <T> CompletionStage<T> watched(
      CompletableFuture<T> stage, CancellationToken cancel, Runnable done) {
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicBoolean settled = new AtomicBoolean();
    CancellationToken.Registration registration =
        cancel.register(
            () -> {
              if (settled.compareAndSet(false, true)) {
                done.run();
                result.completeExceptionally(
                    new CancellationException("the WebSocket operation was cancelled"));
                abort();
              }
            });
    stage.whenComplete(
        (value, failure) -> {
          registration.close();
          if (settled.compareAndSet(false, true)) {
            done.run();
            if (failure != null) {
              result.completeExceptionally(Failures.unwrap(failure));
            } else {
              result.complete(value);
            }
          }
        });
    return result;
  }

  @Override
  public WebSocketState state() {
    synchronized (lock) {
      return state;
    }
  }

  @Override
  public @Nullable Integer closeStatus() {
    synchronized (lock) {
      return closeStatus;
    }
  }

  @Override
  public @Nullable String closeDescription() {
    synchronized (lock) {
      return closeDescription;
    }
  }

  @Override
  public @Nullable String subProtocol() {
    return subProtocol;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The application's end stops at once; the test's end learns of it when the application's
   * stage completes, so that a failure the application is unwinding with can reach the test.
   */
  @Override
  public void abort() {
    synchronized (lock) {
      if (state == WebSocketState.ABORTED) {
        return;
      }
      state = WebSocketState.ABORTED;
    }
    pair.toClient().stopWriter();
    pair.fromClient().discard();
  }

  /** Marks this end aborted because the connection went away. */
  void lost() {
    synchronized (lock) {
      if (state != WebSocketState.CLOSED) {
        state = WebSocketState.ABORTED;
      }
    }
  }

  @Override
  public String toString() {
    return "ServerWebSocket{" + state() + "}";
  }
}
