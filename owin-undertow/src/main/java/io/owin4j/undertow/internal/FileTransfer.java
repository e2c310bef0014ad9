package io.owin4j.undertow.internal;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Sends a range of an open file into a response channel without blocking, and closes the file when
 * done.
 *
 * <p>Two ways, chosen when the transfer starts:
 *
 * <ul>
 *   <li>zero-copy: the channel's {@code transferFrom}, which on a plain HTTP/1.x connection
 *       reaches {@link FileChannel#transferTo} and the kernel's sendfile, so the bytes never enter
 *       the heap;
 *   <li>copy: through one pooled direct buffer (file read, then channel write), where bytes must
 *       pass through Java code anyway: TLS encryption, HTTP/2 frames, chunked encoding.
 * </ul>
 *
 * Each step moves as far as the channel takes without waiting; then the channel's write listener
 * continues on the IO thread. The stage completes once every byte went to the channel and the file
 * is closed, so the application may delete the file then.
 *
 * <h2>Threading</h2>
 *
 * Starts on the thread that runs the response's queue, continues on the IO thread; {@link #cancel}
 * may come from any thread. The steps are serialized by this object's monitor.
 */
final class FileTransfer implements ChannelListener<StreamSinkChannel> {
  private final FileChannel file;
  private long position;
  private long remaining;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private @Nullable StreamSinkChannel channel;
  private @Nullable PooledByteBuffer copyBuffer;

  /**
   * @param file the file, owned by the transfer from now on
   * @param position the first byte to send
   * @param count how many bytes to send
   */
  FileTransfer(FileChannel file, long position, long count) {
    this.file = file;
    this.position = position;
    this.remaining = count;
  }

  /**
   * Starts sending into {@code target}.
   *
   * @param copyThrough null for zero-copy, otherwise the pool of the direct buffer to copy through
   * @return completes when the range was sent and the file closed; fails with the I/O failure, or
   *     with {@link CancellationException} when {@link #cancel} came first
   */
  synchronized CompletableFuture<Void> start(
      StreamSinkChannel target, @Nullable ByteBufferPool copyThrough) {
    if (done.isDone()) {
      return done;
    }
    channel = target;
    if (copyThrough != null) {
      PooledByteBuffer pooled = copyThrough.allocate();
      pooled.getBuffer().limit(0);
      copyBuffer = pooled;
    }
    step();
    return done;
  }

  /** The channel can take more bytes. */
  @Override
  public synchronized void handleEvent(StreamSinkChannel target) {
    step();
  }

  /**
   * Stops the transfer unless it is over.
   *
   * @return true when this call stopped it
   */
  synchronized boolean cancel() {
    if (done.isDone()) {
      return false;
    }
    end(new CancellationException("the file transfer was cancelled"));
    return true;
  }

  /** Closes the file and returns the buffer if the transfer never ended (it never started). */
  synchronized void release() {
    if (!done.isDone()) {
      end(new CancellationException("the file transfer never started"));
    }
  }

  private void step() {
    if (done.isDone()) {
      return;
    }
    StreamSinkChannel target = channel;
    try {
      if (target == null || !(copyBuffer == null ? sendDirect(target) : sendCopy(target))) {
        if (target != null) {
          target.getWriteSetter().set(this);
          target.resumeWrites();
        }
        return;
      }
    } catch (IOException e) {
      end(e);
      return;
    }
    end(null);
  }

  /** Zero-copy: true once the range is sent, false when the channel is full. */
  private boolean sendDirect(StreamSinkChannel target) throws IOException {
    while (remaining > 0) {
      long sent = target.transferFrom(file, position, remaining);
      if (sent == 0) {
        // No progress is either a full channel or a file that shrank below the range.
        if (position >= file.size()) {
          throw shrank();
        }
        return false;
      }
      position += sent;
      remaining -= sent;
    }
    return true;
  }

  /** Copy: true once the range is sent, false when the channel is full. */
  private boolean sendCopy(StreamSinkChannel target) throws IOException {
    ByteBuffer buffer = copyBuffer.getBuffer();
    while (remaining > 0) {
      if (!buffer.hasRemaining()) {
        buffer.clear();
        if (remaining < buffer.capacity()) {
          buffer.limit((int) remaining);
        }
        int read = file.read(buffer, position);
        buffer.flip();
        if (read <= 0) {
          throw shrank();
        }
        position += read;
      }
      int written = target.write(buffer);
      if (written == 0) {
        return false;
      }
      remaining -= written;
    }
    return true;
  }

  private EOFException shrank() {
    return new EOFException(
        "the file ended at byte " + position + " with " + remaining + " bytes still to send");
  }

  private void end(@Nullable Throwable failure) {
    StreamSinkChannel target = channel;
    if (target != null) {
      target.suspendWrites();
      target.getWriteSetter().set(null);
    }
    IoUtils.safeClose(file);
    PooledByteBuffer pooled = copyBuffer;
    if (pooled != null) {
      copyBuffer = null;
      pooled.close();
    }
    if (failure == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failure);
    }
  }

  @Override
  public synchronized String toString() {
    return "FileTransfer{" + remaining + " bytes left" + (copyBuffer == null ? "}" : ", copying}");
  }
}
