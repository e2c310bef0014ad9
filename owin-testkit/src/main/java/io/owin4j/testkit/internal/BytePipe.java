package io.owin4j.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bounded in-memory byte channel with one writing side and one reading side: the wire of the
 * in-memory host.
 *
 * <p>A write blocks while the buffer is full, so a fast writer waits for a slow reader instead of
 * buffering without bound. The writer ends the stream with {@link #closeWriter()} (the reader gets
 * -1 after the buffered bytes) or with {@link #fail(Throwable)} (the reader gets the failure after
 * the buffered bytes). The reader gives up with {@link #closeReader()}: buffered bytes are dropped,
 * and the next write fails with an {@link IOException} saying who went away.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: one thread may write while another reads; every method may be called from any
 * thread.
 */
public final class BytePipe {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final Condition writable = lock.newCondition();
  private final byte[] buffer;
  private final Duration readTimeout;
  private final String readerName;
  private int head;
  private int count;
  private boolean writerClosed;
  private @Nullable Throwable failure;
  private boolean readerClosed;
  private @Nullable Runnable onReaderClosed;

  /**
   * Creates an empty pipe.
   *
   * @param capacity how many bytes may wait for the reader
   * @param readTimeout how long one read waits for a byte before it fails with {@link
   *     SocketTimeoutException}
   * @param readerName who reads, for the message a writer gets once the reader went away, such as
   *     {@code "the client"}
   */
  public BytePipe(int capacity, Duration readTimeout, String readerName) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("pipe capacity must be positive, got " + capacity);
    }
    this.buffer = new byte[capacity];
    this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    this.readerName = Objects.requireNonNull(readerName, "readerName");
  }

  /** Runs {@code action} once when the reader closes its side before the writer finished. */
  public void onReaderClosed(Runnable action) {
    lock.lock();
    try {
      onReaderClosed = action;
    } finally {
      lock.unlock();
    }
  }

  /** The writing side; closing it ends the stream. */
  public OutputStream sink() {
    return new Sink();
  }

  /** The reading side; closing it drops what is buffered and turns later writes into failures. */
  public InputStream source() {
    return new Source();
  }

  /** Ends the stream: the reader gets -1 once it read what is buffered. Idempotent. */
  public void closeWriter() {
    lock.lock();
    try {
      writerClosed = true;
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the stream with {@code cause}: the reader gets it once it read what is buffered. Does
   * nothing if the stream already ended.
   */
  public void fail(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    lock.lock();
    try {
      if (!writerClosed) {
        failure = cause;
        writerClosed = true;
      }
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Closes the reading side, dropping buffered bytes. Idempotent. */
  public void closeReader() {
    Runnable action = null;
    lock.lock();
    try {
      if (readerClosed) {
        return;
      }
      readerClosed = true;
      count = 0;
      if (!writerClosed) {
        action = onReaderClosed;
      }
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
    if (action != null) {
      action.run();
    }
  }

  /** True once the writer ended the stream, normally or not. */
  public boolean isWriterClosed() {
    lock.lock();
    try {
      return writerClosed;
    } finally {
      lock.unlock();
    }
  }

  private void write(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    lock.lock();
    try {
      while (length > 0) {
        checkWritable();
        if (count == buffer.length) {
          try {
            writable.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for room to write");
          }
          continue;
        }
        int tail = (head + count) % buffer.length;
        int chunk = Math.min(length, Math.min(buffer.length - count, buffer.length - tail));
        System.arraycopy(bytes, offset, buffer, tail, chunk);
        count += chunk;
        offset += chunk;
        length -= chunk;
        readable.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private void checkWritable() throws IOException {
    if (readerClosed) {
      throw new IOException(readerName + " closed the stream; nothing more can be written");
    }
    if (writerClosed) {
      throw new IOException("the stream has ended; nothing more can be written");
    }
  }

  private int read(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      return 0;
    }
    lock.lock();
    try {
      long remaining = readTimeout.toNanos();
      while (count == 0) {
        if (readerClosed) {
          throw new IOException("the stream was closed by its reader");
        }
        if (writerClosed) {
          Throwable cause = failure;
          if (cause != null) {
            throw Failures.asIoOrUnchecked(cause);
          }
          return -1;
        }
        if (remaining <= 0) {
          throw new SocketTimeoutException("no bytes arrived within " + readTimeout);
        }
        try {
          remaining = readable.awaitNanos(remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for bytes");
        }
      }
      int chunk = Math.min(length, Math.min(count, buffer.length - head));
      System.arraycopy(buffer, head, bytes, offset, chunk);
      head = (head + chunk) % buffer.length;
      count -= chunk;
      writable.signalAll();
      return chunk;
    } finally {
      lock.unlock();
    }
  }

  private int available() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  private final class Sink extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      BytePipe.this.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      BytePipe.this.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      lock.lock();
      try {
        checkWritable();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      closeWriter();
    }
  }

  private final class Source extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = BytePipe.this.read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return BytePipe.this.read(b, off, len);
    }

    @Override
    public int available() {
      return BytePipe.this.available();
    }

    @Override
    public void close() {
      closeReader();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "BytePipe{"
          + count
          + "/"
          + buffer.length
          + " bytes"
          + (writerClosed ? ", writer closed" : "")
          + (readerClosed ? ", reader closed" : "")
          + "}";
    } finally {
      lock.unlock();
    }
  }
}
