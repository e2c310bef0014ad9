package io.owin4j.undertow.internal;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.DefaultByteBufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The server's pool of direct buffers, which leaves freeing to the garbage collector.
 *
 * <p>Undertow's own pool frees a direct buffer it cannot keep (one returned after the pool closed,
 * or beyond its limit) at once through {@code sun.misc.Unsafe::invokeCleaner}, which JDK 24 and
 * later warn about on standard error, and a future JDK removes. This pool keeps up to a limit of
 * returned buffers for reuse and drops the others; the JDK's own cleaner frees their memory.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe.
 */
public final class BufferPool implements ByteBufferPool {
  /** Undertow's default: 16 KiB less room for a TLS record's framing. */
  public static final int DEFAULT_BUFFER_SIZE = 16 * 1024 - 20;

  private final int bufferSize;
  private final int maxPooled;
  // Guarded by itself: an array deque allocates nothing per buffer, as a linked queue would.
  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  private final ByteBufferPool arrayBacked;
  private volatile boolean closed;

  /**
   * @param bufferSize the size of each buffer in bytes
   * @param maxPooled how many returned buffers are kept for reuse
   */
  public BufferPool(int bufferSize, int maxPooled) {
    this.bufferSize = bufferSize;
    this.maxPooled = maxPooled;
    // Heap buffers: Undertow's pool never frees those through Unsafe.
    this.arrayBacked = new DefaultByteBufferPool(false, bufferSize);
  }

  @Override
  public PooledByteBuffer allocate() {
    if (closed) {
      throw new IllegalStateException("buffer pool is closed");
    }
    ByteBuffer buffer;
    synchronized (free) {
      buffer = free.pollLast();
    }
    if (buffer != null) {
      buffer.clear();
    } else {
      buffer = ByteBuffer.allocateDirect(bufferSize);
    }
    return new Pooled(buffer);
  }

  private void release(ByteBuffer buffer) {
    synchronized (free) {
      // Checked under the lock, so that nothing is pooled after close() cleared the pool.
      if (!closed && free.size() < maxPooled) {
        free.addLast(buffer);
      }
    }
  }

  /** How many returned buffers wait for reuse. */
  int pooled() {
    synchronized (free) {
      return free.size();
    }
  }

  @Override
  public ByteBufferPool getArrayBackedPool() {
    return arrayBacked;
  }

  /** Drops the pooled buffers; buffers returned from now on are dropped too. Idempotent. */
  @Override
  public void close() {
    synchronized (free) {
      closed = true;
      free.clear();
    }
    arrayBacked.close();
  }

  @Override
  public int getBufferSize() {
    return bufferSize;
  }

  @Override
  public boolean isDirect() {
    return true;
  }

  private static final AtomicIntegerFieldUpdater<Pooled> OPEN =
      AtomicIntegerFieldUpdater.newUpdater(Pooled.class, "open");

  private final class Pooled implements PooledByteBuffer {
    private final ByteBuffer buffer;
    // 1 while the buffer is out, 0 once returned; updated through OPEN, with no object of its own.
    volatile int open = 1;

    Pooled(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public ByteBuffer getBuffer() {
      if (open == 0) {
        throw new IllegalStateException("buffer was returned to the pool");
      }
      return buffer;
    }

    @Override
    public void close() {
      if (OPEN.compareAndSet(this, 1, 0)) {
        release(buffer);
      }
    }

    @Override
    public boolean isOpen() {
      return open == 1;
    }

    @Override
    public String toString() {
      return "PooledBuffer{" + (open == 1 ? "open" : "returned") + "}";
    }
  }
}
