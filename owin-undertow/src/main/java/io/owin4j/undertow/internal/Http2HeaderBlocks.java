package io.owin4j.undertow.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The bytes of one connection on their way to Undertow's HTTP/2 parser, with every header block
 * made whole first: a HEADERS frame without END_HEADERS is held back with the CONTINUATION frames
 * that follow it until the one that ends the block, and then passed on as a single HEADERS frame.
 *
 * <p>Undertow 2.4 reads a request from a HEADERS frame as soon as the frame is in, even when its
 * block goes on in CONTINUATION frames it has not read yet, and it does not count CONTINUATION
 * frames, so empty ones could arrive without end. Here a block ends the connection when it has
 * more than {@code maxContinuations} CONTINUATION frames, when its frames' payloads add up to more
 * than {@code maxBlockBytes}, or when a frame other than a CONTINUATION of the same stream comes
 * inside it (RFC 9113, 6.10). It ends it the way Undertow ends any connection whose header blocks
 * break the protocol: what Undertow reads next is a CONTINUATION frame outside any block, which it
 * answers with GOAWAY (PROTOCOL_ERROR) before it closes; the rest of the input is dropped.
 *
 * <p>The conduit decides from the first bytes whether the connection is HTTP/2: only when they
 * are the connection preface does it read frames; anything else (HTTP/1.x) passes unchanged.
 * Bytes outside header blocks pass without a copy; only an open block, a frame header split
 * between two reads, and a finished block that did not fit the reader's buffer are kept here.
 *
 * <p>Not thread-safe: one reader, as for every source conduit.
 */
public final class Http2HeaderBlocks extends RewritingSourceConduit {
  private static final System.Logger LOG = System.getLogger(Http2HeaderBlocks.class.getName());
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final int FRAME_HEADER = 9;
  private static final int HEADERS = 0x1;
  private static final int CONTINUATION = 0x9;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;
  private static final int PRIORITY_FIELDS = 5;
  /** A CONTINUATION frame that continues nothing: Undertow's answer is GOAWAY (PROTOCOL_ERROR). */
  private static final byte[] REFUSAL = {0, 0, 0, CONTINUATION, END_HEADERS, 0, 0, 0, 1};

  private final int maxContinuations;
  private final int maxBlockBytes;

  private int prefaceSeen;
  /** Bytes given to the reader before the connection read frames. */
  private long passed;
  /** Where the preface of an upgraded connection begins, or -1. */
  private long prefaceAt = -1;
  private boolean frames;
  private boolean plain;
  private boolean refused;
  /** Payload bytes of a frame that passes through, still to come. */
  private int payloadLeft;
  /** A frame header split between reads, or an open header block, and what came after it. */
  private byte @Nullable [] held;
  private int heldLength;
  /**
   * Bytes for the reader that did not fit its buffer: [readyStart, readyEnd) of ready. Volatile
   * for {@link #resumeReads}, which the HTTP/2 channel may call from any thread.
   */
  private volatile byte @Nullable [] ready;
  private int readyStart;
  private int readyEnd;

  /**
   * @param next the connection's source conduit
   * @param maxContinuations the most CONTINUATION frames one header block may have
   * @param maxBlockBytes the most payload bytes the frames of one header block may add up to
   */
  public Http2HeaderBlocks(StreamSourceConduit next, int maxContinuations, int maxBlockBytes) {
    super(next);
    this.maxContinuations = maxContinuations;
    this.maxBlockBytes = maxBlockBytes;
  }

  /**
   * Whether the bytes read so far made the connection HTTP/2: they began with the preface (or, after
   * {@link #expectPrefaceAt}, had it at that offset). False while they may still become it.
   */
  public boolean readsFrames() {
    return frames;
  }

  /** Whether the bytes read so far showed that the connection is not HTTP/2 (until an upgrade). */
  public boolean passesThrough() {
    return plain;
  }

  /**
   * How many bytes this conduit has given its reader while the connection was not (yet) HTTP/2:
   * the position in the connection's byte stream that {@link #expectPrefaceAt} counts in.
   */
  public long bytesBeforeFrames() {
    return passed;
  }

  /**
   * The connection becomes HTTP/2 at {@code offset} of its byte stream (counted as {@link
   * #bytesBeforeFrames}), as after the request of an {@code Upgrade: h2c}: the bytes from there on
   * are read as a new connection's first bytes, frames if they are the preface, else passed as
   * they are.
   *
   * @throws IllegalArgumentException if bytes past {@code offset} were given already
   */
  public void expectPrefaceAt(long offset) {
    if (offset < passed) {
      throw new IllegalArgumentException(
          "HTTP/2 cannot begin at byte " + offset + ": " + passed + " bytes were read already");
    }
    prefaceAt = offset;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (ready != null) {
      return fromReady(dst);
    }
    if (refused) {
      return dropInput(dst);
    }
    int start = dst.position();
    while (true) {
      int n = next.read(dst);
      if (plain && n > 0) {
        if (prefaceAt < 0 || passed + n <= prefaceAt) {
          passed += n;
          return n;
        }
        // An upgrade: the HTTP/2 connection begins inside these bytes.
        int first = dst.position() - n + (int) (prefaceAt - passed);
        passed = prefaceAt;
        prefaceAt = -1;
        plain = false;
        prefaceSeen = 0;
        scan(dst, first);
        if (!frames) {
          passed += dst.position() - first;
        }
        return dst.position() - start;
      }
      if (plain || n == 0) {
        return n == 0 ? dst.position() - start : n;
      }
      if (n < 0) {
        // An open block that never ended is dropped with the connection.
        held = null;
        return dst.position() > start ? dst.position() - start : -1;
      }
      scan(dst, dst.position() - n);
      if (!frames) {
        passed += dst.position() - start;
      }
      if (ready != null) {
        wakeUpForReady();
        return dst.position() - start;
      }
      if (dst.position() > start || refused || !dst.hasRemaining()) {
        return dst.position() - start;
      }
      // Everything read is held: read on while the connection has more.
    }
  }

  @Override
  public void resumeReads() {
    if (ready != null) {
      next.wakeupReads();
    } else {
      next.resumeReads();
    }
  }

  @Override
  public void awaitReadable() throws IOException {
    if (ready == null) {
      next.awaitReadable();
    }
  }

  @Override
  public void awaitReadable(long time, TimeUnit timeUnit) throws IOException {
    if (ready == null) {
      next.awaitReadable(time, timeUnit);
    }
  }

  /** Looks at the {@code dst} bytes from {@code from} on that were just read. */
  private void scan(ByteBuffer dst, int from) throws IOException {
    int end = dst.position();
    int i = from;
    if (!frames) {
      while (i < end && prefaceSeen < PREFACE.length) {
        if (dst.get(i) != PREFACE[prefaceSeen]) {
          plain = true;
          return;
        }
        prefaceSeen++;
        i++;
      }
      if (prefaceSeen < PREFACE.length) {
        return;
      }
      frames = true;
    }
    if (held == null) {
      while (i < end) {
        if (payloadLeft > 0) {
          int passing = Math.min(payloadLeft, end - i);
          i += passing;
          payloadLeft -= passing;
        } else if (end - i < FRAME_HEADER || opensBlock(dst.get(i + 3), dst.get(i + 4))) {
          break;
        } else {
          payloadLeft = length(dst, i);
          i += FRAME_HEADER;
        }
      }
      if (i == end) {
        return;
      }
    }
    hold(dst, i, end);
    dst.position(i);
    release(dst);
  }

  private static boolean opensBlock(byte type, byte flags) {
    return type == HEADERS && (flags & END_HEADERS) == 0;
  }

  private static int length(ByteBuffer b, int at) {
    return (b.get(at) & 0xFF) << 16 | (b.get(at + 1) & 0xFF) << 8 | (b.get(at + 2) & 0xFF);
  }

  private static int length(byte[] b, int at) {
    return (b[at] & 0xFF) << 16 | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF);
  }

  private static int stream(byte[] b, int at) {
    return (b[at + 5] & 0x7F) << 24 | (b[at + 6] & 0xFF) << 16 | (b[at + 7] & 0xFF) << 8
        | (b[at + 8] & 0xFF);
  }

  private void hold(ByteBuffer dst, int from, int end) {
    int count = end - from;
    byte[] h = held;
    if (h == null) {
      h = new byte[Math.max(count, 4096)];
    } else if (heldLength + count > h.length) {
      h = Arrays.copyOf(h, Math.max(heldLength + count, h.length * 2));
    }
    dst.get(from, h, heldLength, count);
    held = h;
    heldLength += count;
  }

  /** Passes on what is held up to the first block that has not ended yet. */
  private void release(ByteBuffer dst) {
    byte[] h = held;
    if (h == null) {
      return;
    }
    int p = 0;
    while (!refused) {
      if (payloadLeft > 0) {
        int passing = Math.min(payloadLeft, heldLength - p);
        emit(dst, h, p, passing);
        p += passing;
        payloadLeft -= passing;
        if (payloadLeft > 0) {
          break;
        }
      } else if (heldLength - p < FRAME_HEADER) {
        break;
      } else if (opensBlock(h[p + 3], h[p + 4])) {
        int blockEnd = endOfBlock(h, p);
        if (blockEnd < 0) {
          break;
        }
        if (!refused) {
          emitAsOneFrame(dst, h, p, blockEnd);
        }
        p = blockEnd;
      } else {
        emit(dst, h, p, FRAME_HEADER);
        payloadLeft = length(h, p);
        p += FRAME_HEADER;
      }
    }
    if (refused) {
      emit(dst, REFUSAL, 0, REFUSAL.length);
    }
    if (refused || p == heldLength) {
      held = null;
      heldLength = 0;
    } else if (p > 0) {
      System.arraycopy(h, p, h, 0, heldLength - p);
      heldLength -= p;
    }
  }

  /**
   * Where the block that starts with the HEADERS frame at {@code p} ends, or -1 while it has not
   * ended; refuses the connection (and returns 0) as soon as the block breaks a limit or the
   * protocol, before the rest of it arrives.
   */
  private int endOfBlock(byte[] h, int p) {
    int streamId = stream(h, p);
    int bytes = length(h, p);
    int continuations = 0;
    int q = p + FRAME_HEADER + bytes;
    while (true) {
      if (bytes > maxBlockBytes) {
        return refuse("its frames add up to more than " + maxBlockBytes + " bytes");
      }
      if (heldLength - q < FRAME_HEADER) {
        return -1;
      }
      if (h[q + 3] != CONTINUATION || stream(h, q) != streamId) {
        return refuse(
            "a frame of type " + h[q + 3] + " on stream " + stream(h, q) + " came inside it");
      }
      if (++continuations > maxContinuations) {
        return refuse("it has more than " + maxContinuations + " CONTINUATION frames");
      }
      int length = length(h, q);
      bytes += length;
      if (bytes > maxBlockBytes) {
        return refuse("its frames add up to more than " + maxBlockBytes + " bytes");
      }
      if (heldLength - q - FRAME_HEADER < length) {
        return -1;
      }
      boolean last = (h[q + 4] & END_HEADERS) != 0;
      q += FRAME_HEADER + length;
      if (last) {
        return q;
      }
    }
  }

  /** The block of frames in [p, end) as one HEADERS frame with END_HEADERS, without padding. */
  private void emitAsOneFrame(ByteBuffer dst, byte[] h, int p, int end) {
    int flags = h[p + 4];
    int payload = p + FRAME_HEADER;
    int payloadEnd = payload + length(h, p);
    int fragment = payload;
    if ((flags & PADDED) != 0) {
      payloadEnd -= h[payload] & 0xFF;
      fragment++;
    }
    int priority = (flags & PRIORITY) != 0 ? PRIORITY_FIELDS : 0;
    if (payloadEnd < fragment + priority) {
      refuse("its HEADERS frame has more padding than payload");
      return;
    }
    int continuations = payload + length(h, p);
    int total = payloadEnd - fragment;
    for (int q = continuations; q < end; ) {
      int length = length(h, q);
      total += length;
      q += FRAME_HEADER + length;
    }
    byte[] header = new byte[FRAME_HEADER];
    header[0] = (byte) (total >>> 16);
    header[1] = (byte) (total >>> 8);
    header[2] = (byte) total;
    header[3] = HEADERS;
    header[4] = (byte) ((flags & (END_STREAM | PRIORITY)) | END_HEADERS);
    System.arraycopy(h, p + 5, header, 5, 4);
    emit(dst, header, 0, FRAME_HEADER);
    emit(dst, h, fragment, payloadEnd - fragment);
    for (int q = continuations; q < end; ) {
      int length = length(h, q);
      emit(dst, h, q + FRAME_HEADER, length);
      q += FRAME_HEADER + length;
    }
  }

  private int refuse(String why) {
    LOG.log(
        System.Logger.Level.DEBUG,
        "an HTTP/2 header block ends the connection with GOAWAY (PROTOCOL_ERROR): {0}",
        why);
    refused = true;
    payloadLeft = 0;
    return 0;
  }

  /** Appends bytes for the reader: into {@code dst} while it has room, then into {@link #ready}. */
  private void emit(ByteBuffer dst, byte[] bytes, int offset, int length) {
    if (ready == null) {
      int direct = Math.min(length, dst.remaining());
      dst.put(bytes, offset, direct);
      offset += direct;
      length -= direct;
      if (length == 0) {
        return;
      }
      ready = new byte[Math.max(length, 4096)];
      readyStart = 0;
      readyEnd = 0;
    }
    byte[] r = ready;
    if (readyEnd + length > r.length) {
      r = Arrays.copyOf(r, Math.max(readyEnd + length, r.length * 2));
      ready = r;
    }
    System.arraycopy(bytes, offset, r, readyEnd, length);
    readyEnd += length;
  }

  private int fromReady(ByteBuffer dst) {
    byte[] r = ready;
    int count = Math.min(dst.remaining(), readyEnd - readyStart);
    dst.put(r, readyStart, count);
    readyStart += count;
    if (readyStart == readyEnd) {
      ready = null;
    } else {
      wakeUpForReady();
    }
    return count;
  }

  /** Bytes are here for the reader though the connection may have none: call it back. */
  private void wakeUpForReady() {
    if (next.isReadResumed()) {
      next.wakeupReads();
    }
  }

  /** After the refusal: reads and drops what the client still sends until the connection ends. */
  private int dropInput(ByteBuffer dst) throws IOException {
    int start = dst.position();
    try {
      while (true) {
        int n = next.read(dst);
        dst.position(start);
        if (n <= 0) {
          return n;
        }
      }
    } finally {
      dst.position(start);
    }
  }
}
