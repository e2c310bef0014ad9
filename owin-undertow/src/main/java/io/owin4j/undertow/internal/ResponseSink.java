package io.owin4j.undertow.internal;

import io.owin4j.api.io.AsyncWritable;
import io.owin4j.core.host.ExchangeLifecycle;
import io.owin4j.core.host.ExchangeRules;
import io.owin4j.features.ResponseStarter;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.xnio.Buffers;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSinkChannel;

/**
 * Carries response body bytes to Undertow's response channel: a buffering {@link OutputStream}
 * that also writes without blocking ({@link AsyncWritable}).
 *
 * <p>Writes collect in a buffer of at most {@code capacity} bytes (grown as needed, so small bodies
 * stay small). What does not fit, and every flush, goes to the channel:
 *
 * <ul>
 *   <li>on a worker thread the stream writes and waits until the channel took the bytes;
 *   <li>on an IO thread, which must never wait, the bytes join a queue that the channel drains from
 *       its write listener: memory, not the thread, absorbs a slow client (an application that
 *       writes much on an IO thread should use {@link #writeAsync} and wait for each stage);
 *   <li>{@link #writeAsync} and {@link #flushAsync} hand their bytes over at once when the channel
 *       takes them, and otherwise complete from the write listener, on the IO thread.
 * </ul>
 *
 * <p>When the application's stage completes, {@link #finish()} sends what is left; if nothing went
 * to the channel before, the whole body is in the buffer and gets a {@code Content-Length} (unless
 * the application set one, or a {@code Transfer-Encoding}). A write that completes the {@code
 * Content-Length} the application declared goes to the channel at once with what is buffered, as
 * the last write of a known-length body needs no buffer (the channel still ends only in {@link
 * #finish()}, so the exchange does not end before the application); a write that would pass the
 * declared length fails, as on every host. Once a write to the channel failed, every
 * later write fails with that cause. After {@link #finish()} every write fails.
 *
 * <p>The blocking methods assume the response has started (the application's {@code
 * ResponseBodyStream} starts it before calling them); the asynchronous ones start it themselves.
 *
 * <h2>Threading</h2>
 *
 * One writer at a time; at most one asynchronous write or flush pending, and a second fails with
 * {@link IllegalStateException}. Stages may complete on the IO thread.
 */
final class ResponseSink extends OutputStream implements AsyncWritable {
  private static final byte[] NO_BYTES = new byte[0];
  private static final ByteBuffer[] NOTHING = new ByteBuffer[0];
  private static final int INITIAL_BUFFER = 256;
  private static final long UNKNOWN = Long.MIN_VALUE;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  // What a write or flush that finished at once answers, shared by every request.
  private static final CompletionStage<Void> WRITTEN = new Written();

  private final HttpServerExchange exchange;
  private final ResponseStarter starter;
  private final int capacity;
  private byte[] buffer = NO_BYTES;
  private int count;
  private volatile @Nullable StreamSinkChannel channel;
  // The channel work handed over so far, in order: each step starts when the one before is done.
  private CompletableFuture<Void> queue = DONE;
  private boolean finished;
  // The body reached its declared Content-Length: the channel ends with the bytes written.
  private boolean lengthReached;
  private long written;
  // The declared length once the response started, or UNKNOWN before.
  private long startedLength = UNKNOWN;

  ResponseSink(HttpServerExchange exchange, ResponseStarter starter, int capacity) {
    this.exchange = exchange;
    this.starter = starter;
    this.capacity = capacity;
  }

  @Override
  public void write(int b) throws IOException {
    checkWritable();
    if (count < capacity && !isLast(1)) {
      ensureRoom(1);
      buffer[count++] = (byte) b;
      written++;
    } else {
      write(new byte[] {(byte) b}, 0, 1);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    checkWritable();
    if (isLast(len)) {
      writeLast(b, off, len);
      return;
    }
    written += len;
    if (len <= capacity - count) {
      ensureRoom(len);
      System.arraycopy(b, off, buffer, count, len);
      count += len;
      return;
    }
    if (IoThreads.isIoThread()) {
      enqueue(
          new ByteBuffer[] {takeBuffer(), ByteBuffer.wrap(Arrays.copyOfRange(b, off, off + len))},
          Mode.WRITE);
      return;
    }
    awaitQueue();
    writeBlocking(new ByteBuffer[] {bufferedBytes(), ByteBuffer.wrap(b, off, len)});
    count = 0;
  }

  /** Sends what was written so far; on an IO thread it queues the bytes and returns at once. */
  @Override
  public void flush() throws IOException {
    checkWritable();
    if (IoThreads.isIoThread()) {
      enqueue(new ByteBuffer[] {takeBuffer()}, Mode.FLUSH);
      return;
    }
    awaitQueue();
    StreamSinkChannel ch = channel();
    writeBlocking(new ByteBuffer[] {bufferedBytes()});
    count = 0;
    while (!ch.flush()) {
      ch.awaitWritable();
    }
  }

  /** Does nothing: the response ends when the application's stage completes. */
  @Override
  public void close() {}

  @Override
  public CompletionStage<Void> writeAsync(ByteBuffer source) {
    Objects.requireNonNull(source, "source");
    checkNoPendingAsync();
    int len = source.remaining();
    boolean last;
    try {
      checkWritable();
      starter.start();
      last = isLast(len);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (last) {
      // The last bytes of a body of known length go straight to the channel, without a copy.
      lengthReached = true;
      written += len;
      queue = count == 0 ? sendOne(source) : send(withBuffered(source), Mode.WRITE);
      return answer(queue);
    }
    written += len;
    if (len <= capacity - count) {
      ensureRoom(len);
      source.get(buffer, count, len);
      count += len;
      return WRITTEN;
    }
    queue = send(new ByteBuffer[] {takeBuffer(), source}, Mode.WRITE);
    return answer(queue);
  }

  @Override
  public CompletionStage<Void> flushAsync() {
    checkNoPendingAsync();
    try {
      checkWritable();
      starter.start();
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    queue = send(new ByteBuffer[] {takeBuffer()}, Mode.FLUSH);
    return answer(queue);
  }

  /**
   * Sends the rest of the body once the queued work is done, then closes and flushes the channel;
   * the response must have started. The stage completes when the response is on the wire, so the
   * client has it even while the host still drains an unread request body.
   */
  CompletableFuture<Void> finish() {
    finished = true;
    CompletableFuture<Void> before = queue;
    return before == DONE ? sendRest() : before.thenCompose(ignored -> sendRest());
  }

  /**
   * Hands the response channel to {@code work} once the queued work and the bytes buffered so far
   * went to it and were flushed, so that what {@code work} sends follows the status, headers and
   * body written before (sendfile). The response must have started. Later writes wait for {@code
   * work}'s stage, and an asynchronous write or flush meanwhile fails as pending.
   *
   * @return completes as {@code work}'s stage, or fails with the failure of the writes before it
   */
  CompletableFuture<Void> thenUseChannel(
      Function<StreamSinkChannel, CompletableFuture<Void>> work) {
    try {
      checkWritable();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Flushed, not only written: Undertow's HTTP/1.1 conduit reads a file transfer that comes
    // before the head is out from the file's own position, not the one asked for.
    enqueue(new ByteBuffer[] {takeBuffer()}, Mode.FLUSH);
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue =
        queue
            .thenCompose(ignored -> work.apply(channel()))
            .whenComplete(
                (ignored, failure) -> {
                  if (failure == null) {
                    done.complete(null);
                  } else {
                    done.completeExceptionally(ExchangeLifecycle.unwrap(failure));
                  }
                });
    return done;
  }

  /** Drops the buffered bytes, so that {@link #finish()} sends an empty body instead. */
  void discard() {
    buffer = NO_BYTES;
    count = 0;
    written = 0;
  }

  /** True once bytes (or just the headers) were handed to Undertow's response channel. */
  boolean channelTaken() {
    return channel != null;
  }

  private CompletableFuture<Void> sendRest() {
    if (lengthReached) {
      // The write that completed the declared Content-Length handed the whole body over.
      return send(NOTHING, Mode.CLOSE);
    }
    if (channel == null) {
      setContentLengthIfUnknown(count);
    }
    return send(new ByteBuffer[] {takeBuffer()}, Mode.CLOSE);
  }

  private void setContentLengthIfUnknown(long length) {
    HeaderMap headers = exchange.getResponseHeaders();
    if (!headers.contains(Headers.CONTENT_LENGTH)
        && !headers.contains(Headers.TRANSFER_ENCODING)
        && Connectors.isEntityBodyAllowed(exchange)) {
      headers.put(Headers.CONTENT_LENGTH, length);
    }
  }

  private void enqueue(ByteBuffer[] data, Mode mode) {
    CompletableFuture<Void> before = queue;
    queue = before.isDone() ? send(data, mode) : before.thenCompose(ignored -> send(data, mode));
  }

  /** What a transfer does after writing its bytes. */
  private enum Mode {
    WRITE,
    FLUSH,
    CLOSE
  }

  /**
   * Writes {@code data} without blocking (then flushes, or closes and flushes, as {@code mode}
   * says): completes at once when the channel takes everything, otherwise from the channel's write
   * listener.
   */
  private CompletableFuture<Void> send(ByteBuffer[] data, Mode mode) {
    StreamSinkChannel ch;
    try {
      ch = channel();
      if (progress(ch, data, mode)) {
        return DONE;
      }
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Transfer transfer = new Transfer(data, mode);
    ch.getWriteSetter().set(transfer);
    ch.resumeWrites();
    return transfer.done;
  }

  /** {@link #send} of one buffer to write: an array only when the channel cannot take it now. */
  private CompletableFuture<Void> sendOne(ByteBuffer data) {
    try {
      StreamSinkChannel ch = channel();
      while (data.hasRemaining()) {
        if (ch.write(data) == 0) {
          return send(new ByteBuffer[] {data}, Mode.WRITE);
        }
      }
      return DONE;
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The stage an asynchronous write or flush answers: its own, unless it finished already. */
  private static CompletionStage<Void> answer(CompletableFuture<Void> sent) {
    return sent == DONE ? WRITTEN : sent.copy();
  }

  /**
   * Moves {@code data} as far as {@code channel} allows now, then flushes or closes as {@code mode}
   * says; true when all of it is done.
   */
  private static boolean progress(StreamSinkChannel channel, ByteBuffer[] data, Mode mode)
      throws IOException {
    while (Buffers.hasRemaining(data)) {
      long written = mode == Mode.CLOSE ? channel.writeFinal(data) : channel.write(data);
      if (written == 0) {
        return false;
      }
    }
    if (mode == Mode.CLOSE && channel.isOpen()) {
      // writeFinal shut the channel down once the last bytes went; with none, shut it here.
      channel.shutdownWrites();
    }
    return mode == Mode.WRITE || channel.flush();
  }

  /**
   * A stage that completed with null and that no caller can change: completing a completed future
   * does nothing, and obtruding a value or failure is refused.
   */
  private static final class Written extends CompletableFuture<Void> {
    Written() {
      super.complete(null);
    }

    @Override
    public void obtrudeValue(Void value) {
      throw new UnsupportedOperationException("a shared completed write stage cannot be changed");
    }

    @Override
    public void obtrudeException(Throwable failure) {
      throw new UnsupportedOperationException("a shared completed write stage cannot be changed");
    }
  }

  /** The rest of a {@link #send} the channel could not take at once, moved by its write listener. */
  private static final class Transfer implements ChannelListener<StreamSinkChannel> {
    final ByteBuffer[] data;
    final Mode mode;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Transfer(ByteBuffer[] data, Mode mode) {
      this.data = data;
      this.mode = mode;
    }

    @Override
    public void handleEvent(StreamSinkChannel c) {
      try {
        if (progress(c, data, mode)) {
          c.suspendWrites();
          c.getWriteSetter().set(null);
          done.complete(null);
        }
      } catch (IOException | RuntimeException e) {
        c.suspendWrites();
        c.getWriteSetter().set(null);
        done.completeExceptionally(e);
      }
    }
  }

  /** {@link #writeBlocking(ByteBuffer[])} of one buffer, without an array. */
  private void writeBlocking(ByteBuffer data) throws IOException {
    StreamSinkChannel ch = channel();
    while (data.hasRemaining()) {
      if (ch.write(data) == 0) {
        ch.awaitWritable();
      }
    }
  }

  private void writeBlocking(ByteBuffer[] data) throws IOException {
    StreamSinkChannel ch = channel();
    while (Buffers.hasRemaining(data)) {
      if (ch.write(data) == 0) {
        ch.awaitWritable();
      }
    }
  }

  private StreamSinkChannel channel() {
    StreamSinkChannel ch = channel;
    if (ch == null) {
      ch = exchange.getResponseChannel();
      if (ch == null) {
        throw new IllegalStateException(
            "owin.ResponseBody is unavailable: another handler already took the response channel");
      }
      channel = ch;
    }
    return ch;
  }

  /** Waits (on a worker thread) until the queued work is done. */
  private void awaitQueue() throws IOException {
    if (!queue.isDone()) {
      try {
        queue.join();
      } catch (CompletionException e) {
        throw failedEarlier(e.getCause());
      }
    }
  }

  private void checkWritable() throws IOException {
    if (finished) {
      throw new IOException(
          "owin.ResponseBody has ended: nothing may be written after the application's stage"
              + " completed");
    }
    if (queue.isCompletedExceptionally()) {
      try {
        queue.join();
      } catch (CompletionException e) {
        throw failedEarlier(e.getCause());
      }
    }
  }

  private void checkNoPendingAsync() {
    if (!queue.isDone()) {
      throw new IllegalStateException(
          "owin.ResponseBody already has a write or flush pending: wait for its stage before the"
              + " next one");
    }
  }

  private static IOException failedEarlier(@Nullable Throwable cause) {
    return new IOException("an earlier write of owin.ResponseBody failed", cause);
  }

  /** The buffered bytes, leaving the buffer in place: for writes that finish before returning. */
  private ByteBuffer bufferedBytes() {
    return ByteBuffer.wrap(buffer, 0, count);
  }

  /** The buffered bytes, handing the array over: for writes that may finish later. */
  private ByteBuffer takeBuffer() {
    ByteBuffer taken = ByteBuffer.wrap(buffer, 0, count);
    buffer = NO_BYTES;
    count = 0;
    return taken;
  }

  /**
   * Tells whether {@code len} more bytes complete the {@code Content-Length} the application
   * declared, so that the body ends with them.
   *
   * @throws IOException if they would pass the declared length ({@link
   *     ExchangeRules#beyondDeclaredLength}, the rule of every host)
   */
  private boolean isLast(int len) throws IOException {
    if (len == 0) {
      return false;
    }
    long declared = declaredLength();
    IOException beyond = ExchangeRules.beyondDeclaredLength(written, len, declared);
    if (beyond != null) {
      throw beyond;
    }
    return written + len == declared;
  }

  /**
   * The body length the response headers declare ({@link ExchangeRules#declaredLength}), read
   * from the headers until the response started and kept from then on, when they cannot change.
   */
  private long declaredLength() {
    if (startedLength != UNKNOWN) {
      return startedLength;
    }
    HeaderMap headers = exchange.getResponseHeaders();
    long declared =
        ExchangeRules.declaredLength(
            headers.getFirst(Headers.CONTENT_LENGTH), headers.contains(Headers.TRANSFER_ENCODING));
    if (starter.hasStarted()) {
      startedLength = declared;
    }
    return declared;
  }

  /** Sends the bytes that complete the declared length with those buffered. */
  private void writeLast(byte[] b, int off, int len) throws IOException {
    lengthReached = true;
    written += len;
    if (IoThreads.isIoThread()) {
      enqueue(withBuffered(ByteBuffer.wrap(Arrays.copyOfRange(b, off, off + len))), Mode.WRITE);
      return;
    }
    awaitQueue();
    ByteBuffer last = ByteBuffer.wrap(b, off, len);
    if (count == 0) {
      writeBlocking(last);
      return;
    }
    writeBlocking(new ByteBuffer[] {bufferedBytes(), last});
    count = 0;
  }

  /** {@code last} after the buffered bytes, if any; the buffer is handed over. */
  private ByteBuffer[] withBuffered(ByteBuffer last) {
    return count == 0 ? new ByteBuffer[] {last} : new ByteBuffer[] {takeBuffer(), last};
  }

  private void ensureRoom(int len) {
    int needed = count + len;
    if (needed > buffer.length) {
      int grown = Math.max(needed, Math.max(INITIAL_BUFFER, buffer.length * 2));
      buffer = Arrays.copyOf(buffer, Math.min(grown, Math.max(capacity, needed)));
    }
  }

  @Override
  public String toString() {
    return "ResponseSink{buffered=" + count + (finished ? ", finished}" : "}");
  }
}
