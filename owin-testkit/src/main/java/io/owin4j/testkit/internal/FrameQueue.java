package io.owin4j.testkit.internal;

import io.owin4j.core.host.WebSocketProtocol;
import io.owin4j.testkit.TestTimeoutException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One direction of an in-memory WebSocket: frames from one end to the other, bounded by the bytes
 * waiting.
 *
 * <p>The writer {@linkplain #offer offers} a frame and gets a stage that completes once the frame
 * fits within the capacity: a fast writer waits for a slow reader. The server end takes frames
 * without blocking ({@link #take()}); the test end waits for them ({@link #poll}). The writer ends
 * the direction with {@link #finish}; the reader gives up with {@link #discard}.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe; stages complete outside the lock, on the thread that made them complete.
 */
final class FrameQueue {
  /**
   * One frame: a whole message or a fragment of one.
   *
   * @param type a {@link io.owin4j.api.ext.WebSocketMessageTypes} opcode: text, binary, close,
   *     ping or pong; every fragment carries its message's type
   * @param payload the data; for a close, empty or the 2-byte status then the UTF-8 reason
   * @param last true on the last frame of a message
   */
  record Frame(int type, byte[] payload, boolean last) {
    static Frame close(WebSocketProtocol.Close close) {
      ByteBuffer payload = close.payload();
      return new Frame(io.owin4j.api.ext.WebSocketMessageTypes.CLOSE, remainingBytes(payload), true);
    }

    /** The close this CLOSE frame carries: 1005 when its payload is empty. */
    WebSocketProtocol.Close close() {
      return WebSocketProtocol.peerClose(ByteBuffer.wrap(payload));
    }
  }

  private final Object lock = new Object();
  private final ArrayDeque<Frame> frames = new ArrayDeque<>();
  private final long capacity;
  private long queuedBytes;
  private @Nullable CompletableFuture<Void> roomWaiter;
  private @Nullable CompletableFuture<Frame> taker;
  private boolean finished;
  private @Nullable Throwable failure;
  private boolean discarded;
  private boolean writerStopped;

  FrameQueue(long capacity) {
    this.capacity = capacity;
  }

  /**
   * Queues {@code frame}; the stage completes when it fits within the capacity, or fails with an
   * {@link IOException} when this direction ended or its reader went away.
   */
  CompletableFuture<Void> offer(Frame frame) {
    CompletableFuture<Frame> handOver;
    CompletableFuture<Void> result;
    synchronized (lock) {
      if (finished || discarded || writerStopped) {
        return CompletableFuture.failedFuture(
            new IOException("the WebSocket connection is closed; the frame was not sent"));
      }
      handOver = taker;
      taker = null;
      if (handOver == null) {
        frames.add(frame);
        queuedBytes += frame.payload().length;
        lock.notifyAll();
        if (queuedBytes > capacity) {
          roomWaiter = new CompletableFuture<>();
          return roomWaiter;
        }
      }
      result = CompletableFuture.completedFuture(null);
    }
    if (handOver != null) {
      handOver.complete(frame);
    }
    return result;
  }

  /**
   * Takes the next frame without blocking: the stage completes with it, or fails with an {@link
   * IOException} once the writer finished and every frame was taken.
   *
   * @throws IllegalStateException if a take is pending
   */
  CompletableFuture<Frame> take() {
    CompletableFuture<Void> room;
    Frame frame;
    synchronized (lock) {
      if (taker != null) {
        throw new IllegalStateException("a receive is already pending; wait for it first");
      }
      frame = frames.poll();
      if (frame == null) {
        if (finished || discarded) {
          return CompletableFuture.failedFuture(
              new IOException("the WebSocket connection is closed"));
        }
        taker = new CompletableFuture<>();
        return taker;
      }
      room = released(frame);
    }
    if (room != null) {
      room.complete(null);
    }
    return CompletableFuture.completedFuture(frame);
  }

  /**
   * Waits up to {@code timeout} for the next frame.
   *
   * @return the frame, or null when the writer finished and every frame was taken; then {@link
   *     #failure()} tells whether it finished with a failure
   * @throws TestTimeoutException if no frame came in time
   */
  @Nullable Frame poll(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<Void> room;
    Frame frame;
    synchronized (lock) {
      while ((frame = frames.poll()) == null) {
        if (finished || discarded) {
          return null;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new TestTimeoutException("no WebSocket message arrived within " + timeout);
        }
        try {
          lock.wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for a WebSocket message", e);
        }
      }
      room = released(frame);
    }
    if (room != null) {
      room.complete(null);
    }
    return frame;
  }

  /** The failure the writer finished with, or null. */
  @Nullable Throwable failure() {
    synchronized (lock) {
      return failure;
    }
  }

  /**
   * Ends this direction: after the frames already queued, the reader learns that no more come, and
   * the test end learns {@code cause} when not null. Later offers fail. Idempotent: the first call
   * decides.
   */
  void finish(@Nullable Throwable cause) {
    CompletableFuture<Frame> waiting;
    synchronized (lock) {
      if (finished) {
        return;
      }
      finished = true;
      failure = cause;
      waiting = taker;
      taker = null;
      lock.notifyAll();
    }
    if (waiting != null) {
      waiting.completeExceptionally(new IOException("the WebSocket connection is closed"));
    }
  }

  /**
   * The writer stopped without finishing yet: a waiting or later offer fails, while the reader
   * still gets the queued frames and, once {@link #finish} is called, the end. Idempotent.
   */
  void stopWriter() {
    CompletableFuture<Void> room;
    synchronized (lock) {
      writerStopped = true;
      room = roomWaiter;
      roomWaiter = null;
    }
    if (room != null) {
      room.completeExceptionally(new IOException("the WebSocket was aborted"));
    }
  }

  /** The reader went away: drops queued frames; a waiting or later offer fails. Idempotent. */
  void discard() {
    CompletableFuture<Void> room;
    CompletableFuture<Frame> waiting;
    synchronized (lock) {
      discarded = true;
      frames.clear();
      queuedBytes = 0;
      room = roomWaiter;
      roomWaiter = null;
      waiting = taker;
      taker = null;
      lock.notifyAll();
    }
    IOException closed = new IOException("the WebSocket connection is closed");
    if (room != null) {
      room.completeExceptionally(closed);
    }
    if (waiting != null) {
      waiting.completeExceptionally(closed);
    }
  }

  /** Accounts for a frame taken; returns the waiting writer to release, if there is room now. */
  private @Nullable CompletableFuture<Void> released(Frame frame) {
    queuedBytes -= frame.payload().length;
    if (roomWaiter != null && queuedBytes <= capacity) {
      CompletableFuture<Void> room = roomWaiter;
      roomWaiter = null;
      return room;
    }
    return null;
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "FrameQueue{"
          + frames.size()
          + " frames, "
          + queuedBytes
          + "/"
          + capacity
          + " bytes"
          + (finished ? ", finished" : "")
          + (discarded ? ", discarded" : "")
          + "}";
    }
  }

  /** Copies the bytes from the buffer's position to its limit, advancing the position. */
  static byte[] remainingBytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
