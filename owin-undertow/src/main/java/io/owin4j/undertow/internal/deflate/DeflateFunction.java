package io.owin4j.undertow.internal.deflate;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.extensions.ExtensionFunction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * The permessage-deflate of one connection, as Undertow's WebSocket channel calls it: once per
 * outgoing data frame before its header is written, once per chunk of an incoming data frame as it
 * arrives.
 *
 * <h2>Sending</h2>
 *
 * Every data message starts out marked compressed (RSV1, {@link #writeRsv}); its first frame decides.
 * A message that is whole in its first frame and smaller than the threshold goes out as it is, with
 * RSV1 cleared on its frame before the header is made. Without context takeover a whole message that
 * does not shrink goes out as it is too. Anything else is deflated with a sync flush per frame, and
 * the last frame drops the {@code 00 00 FF FF} tail (RFC 7692 section 7.2.1).
 *
 * <h2>Receiving</h2>
 *
 * A message with RSV1 is inflated chunk by chunk, the tail appended after its last frame. The
 * inflated size is counted per message and inflation stops one byte past the maximum message size:
 * the reader then sees a message that is too big (and closes with 1009) while the rest of the
 * compressed input is dropped unread. Nothing ever inflates more than the maximum plus one byte.
 *
 * <h2>State</h2>
 *
 * Without context takeover in a direction, its deflater or inflater is borrowed from {@link
 * ZlibCache} for one message and given back when the message ends; with it, the connection owns one
 * until {@link #dispose}. Undertow calls one direction at a time on the connection's IO thread; the
 * methods are synchronized all the same, because {@link #dispose} may come from another thread.
 */
final class DeflateFunction implements ExtensionFunction {
  private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

  private final int level;
  private final int threshold;
  private final boolean deflateTakeover;
  private final boolean inflateTakeover;
  private final long maxMessageSize;

  // Sending: the message whose frames are being compressed, and its deflater.
  private @Nullable StreamSinkFrameChannel sendingMessage;
  private @Nullable Deflater deflater;

  // Receiving: the compressed message being inflated, its inflater and inflated size so far.
  private @Nullable StreamSourceFrameChannel receivingMessage;
  private @Nullable Inflater inflater;
  private long inflated;
  private boolean disposed;

  /**
   * @param deflateTakeover whether the server keeps its compression context between messages
   * @param inflateTakeover whether the client keeps its compression context between messages
   * @param maxMessageSize the largest inflated message the reader accepts
   */
  DeflateFunction(
      int level,
      int threshold,
      boolean deflateTakeover,
      boolean inflateTakeover,
      long maxMessageSize) {
    this.level = level;
    this.threshold = threshold;
    this.deflateTakeover = deflateTakeover;
    this.inflateTakeover = inflateTakeover;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public boolean hasExtensionOpCode() {
    return false;
  }

  /** Marks every data message compressed; {@link #transformForWrite} clears it where it is not. */
  @Override
  public int writeRsv(int rsv) {
    return rsv | RSV1;
  }

  @Override
  public synchronized PooledByteBuffer transformForWrite(
      PooledByteBuffer pooled, StreamSinkFrameChannel message, boolean lastFrame)
      throws IOException {
    ByteBuffer payload = pooled.getBuffer();
    boolean first = message != sendingMessage;
    if (first) {
      if (sendingMessage != null) {
        // The message before never showed its last frame here: it is over all the same.
        endMessage();
      }
      if ((message.getRsv() & RSV1) == 0) {
        return pooled;
      }
      if (lastFrame && payload.remaining() < threshold) {
        message.setRsv(message.getRsv() & ~RSV1);
        return pooled;
      }
      sendingMessage = message;
    }
    int start = payload.position();
    int size = payload.remaining();
    PooledByteBuffer compressed;
    try {
      compressed =
          deflate(deflaterForMessage(), payload, message.getWebSocketChannel().getBufferPool());
    } catch (RuntimeException e) {
      endMessage();
      pooled.close();
      throw e;
    }
    if (lastFrame) {
      endMessage();
      ByteBuffer out = compressed.getBuffer();
      if (endsWithTail(out)) {
        out.limit(out.limit() - TAIL.length);
      }
      if (first && !deflateTakeover && out.remaining() >= size) {
        // It did not shrink: send it as it is; no compression context remembers it.
        compressed.close();
        message.setRsv(message.getRsv() & ~RSV1);
        payload.position(start);
        return pooled;
      }
    }
    pooled.close();
    return compressed;
  }

  /**
   * True when {@code out} ends with the {@code 00 00 FF FF} of a sync flush; it does not when the
   * flush before it (a fragment of the same message) left nothing new to flush.
   */
  private static boolean endsWithTail(ByteBuffer out) {
    int end = out.limit();
    if (end - out.position() < TAIL.length) {
      return false;
    }
    for (int i = 0; i < TAIL.length; i++) {
      if (out.get(end - TAIL.length + i) != TAIL[i]) {
        return false;
      }
    }
    return true;
  }

  private Deflater deflaterForMessage() {
    Deflater current = deflater;
    if (current == null) {
      current = deflateTakeover ? new Deflater(level, true) : ZlibCache.deflater(level);
      deflater = current;
    }
    return current;
  }

  /** The message ends: forget it, and give its deflater back unless the context carries over. */
  private void endMessage() {
    sendingMessage = null;
    Deflater current = deflater;
    if (current != null && !deflateTakeover) {
      deflater = null;
      ZlibCache.release(current, level);
    }
  }

  /**
   * Deflates all of {@code input} with a sync flush into a buffer of the pool (a larger heap buffer
   * when that is too small), drops the {@code 00 00 FF FF} that ends a sync flush when {@code
   * lastFrame}, and leaves {@code input} consumed.
   */
  private PooledByteBuffer deflate(Deflater deflate, ByteBuffer input, ByteBufferPool pool) {
    deflate.setInput(input);
    PooledByteBuffer out = pool.allocate();
    ByteBuffer buffer = out.getBuffer();
    while (true) {
      deflate.deflate(buffer, Deflater.SYNC_FLUSH);
      if (buffer.hasRemaining()) {
        break;
      }
      out = larger(out, buffer.capacity() * 2);
      buffer = out.getBuffer();
    }
    buffer.flip();
    return out;
  }

  @Override
  public synchronized PooledByteBuffer transformForRead(
      PooledByteBuffer pooled, StreamSourceFrameChannel message, boolean lastFragmentOfMessage)
      throws IOException {
    if ((message.getRsv() & RSV1) == 0) {
      return pooled;
    }
    PooledByteBuffer out;
    try {
      if (message != receivingMessage) {
        if (receivingMessage != null) {
          // The message before ended in an empty frame, which may not come through here.
          endUnterminated();
        }
        receivingMessage = message;
        inflated = 0;
        if (inflater == null) {
          inflater = inflateTakeover ? new Inflater(true) : ZlibCache.inflater();
        }
      }
      Inflater inflate = inflater;
      if (inflate == null) {
        // Past the maximum already: the rest of the message is dropped.
        out = new ImmediatePooledByteBuffer(ByteBuffer.allocate(0));
      } else {
        ByteBufferPool pool = message.getWebSocketChannel().getBufferPool();
        out = inflate(inflate, pooled.getBuffer(), pool.allocate());
        if (lastFragmentOfMessage && inflater != null) {
          out = inflate(inflate, ByteBuffer.wrap(TAIL), out);
        }
      }
    } catch (DataFormatException e) {
      endReceiving();
      throw new IOException("a compressed message is no valid deflate data: " + e.getMessage(), e);
    } finally {
      pooled.close();
    }
    if (lastFragmentOfMessage) {
      endReceiving();
    }
    out.getBuffer().flip();
    return out;
  }

  /**
   * Inflates {@code input} into {@code out} (growing it as needed) until the input is used up or
   * the message passes the maximum; at that point the inflater goes back and the rest of the
   * message is dropped.
   */
  private PooledByteBuffer inflate(Inflater inflate, ByteBuffer input, PooledByteBuffer out)
      throws DataFormatException {
    inflate.setInput(input);
    ByteBuffer buffer = out.getBuffer();
    // A deflate block marked final ends the stream early; whatever follows it is ignored.
    while (!inflate.finished()) {
      if (!buffer.hasRemaining()) {
        out = larger(out, (int) Math.min(buffer.capacity() * 2L, Integer.MAX_VALUE - 8));
        buffer = out.getBuffer();
      }
      int room = (int) Math.min(buffer.remaining(), maxMessageSize + 1 - inflated);
      int limit = buffer.limit();
      buffer.limit(buffer.position() + room);
      int n = inflate.inflate(buffer);
      buffer.limit(limit);
      inflated += n;
      if (inflated > maxMessageSize) {
        dropInflater();
        break;
      }
      if (n < room) {
        // zlib stopped short of the room it had: the input is used up.
        break;
      }
    }
    return out;
  }

  /**
   * Ends the message before as if its tail had come: without context takeover the inflater goes
   * back (reset); with it, the tail is inflated so the context stays in step with the client's.
   */
  private void endUnterminated() throws DataFormatException {
    Inflater current = inflater;
    if (inflateTakeover && current != null && !current.finished()) {
      current.setInput(TAIL);
      byte[] rest = new byte[64];
      while (current.inflate(rest) > 0) {
        // Whatever the sync flush still held belonged to the message before; it was delivered.
      }
    }
    endReceiving();
  }

  /** The compressed message ended or broke off: give the inflater back unless it carries over. */
  private void endReceiving() {
    receivingMessage = null;
    Inflater current = inflater;
    if (!inflateTakeover) {
      dropInflater();
    } else if (current != null && current.finished()) {
      // The client ended its stream with a final block: the next message starts a new one.
      current.reset();
    }
  }

  private void dropInflater() {
    Inflater current = inflater;
    if (current != null) {
      inflater = null;
      if (inflateTakeover || disposed) {
        current.end();
      } else {
        ZlibCache.release(current);
      }
    }
  }

  /** A heap buffer of {@code capacity} bytes holding what {@code smaller} holds; frees it. */
  private static PooledByteBuffer larger(PooledByteBuffer smaller, int capacity) {
    ByteBuffer from = smaller.getBuffer();
    from.flip();
    ByteBuffer to = ByteBuffer.allocate(capacity);
    to.put(from);
    smaller.close();
    return new ImmediatePooledByteBuffer(to);
  }

  /** The connection closed: native memory of a message in progress or a kept context is freed. */
  @Override
  public synchronized void dispose() {
    disposed = true;
    sendingMessage = null;
    receivingMessage = null;
    Deflater currentDeflater = deflater;
    deflater = null;
    if (currentDeflater != null) {
      currentDeflater.end();
    }
    Inflater currentInflater = inflater;
    inflater = null;
    if (currentInflater != null) {
      currentInflater.end();
    }
  }

  @Override
  public String toString() {
    return "DeflateFunction{level="
        + level
        + ", threshold="
        + threshold
        + ", serverTakeover="
        + deflateTakeover
        + ", clientTakeover="
        + inflateTakeover
        + "}";
  }
}
