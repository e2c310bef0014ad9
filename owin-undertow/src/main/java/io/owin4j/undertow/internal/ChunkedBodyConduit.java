package io.owin4j.undertow.internal;

import io.undertow.conduits.ChunkedStreamSourceConduit;
import io.undertow.conduits.ReadDataStreamSourceConduit;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Decodes a chunked HTTP/1.1 request body as strictly as RFC 9112, section 7.1 frames it, in place
 * of Undertow's decoder, which reads a chunk longer than its size line as the size and skips the
 * rest, so that what follows may be served as another request.
 *
 * <p>Bytes are decoded as they arrive, never buffered whole. Bytes after the body (a pipelined
 * request) go back to the connection. A violation fails the read with an {@link IOException} naming
 * it and closes the connection, so nothing after it is served; the body's last data is never handed
 * out before the framing around it was checked as far as it arrived. A body over the exchange's
 * maximum entity size fails the read with {@link RequestTooBigException} and closes the connection
 * too.
 *
 * <p>One reader at a time, as for any conduit.
 */
final class ChunkedBodyConduit extends RewritingSourceConduit {
  private final HttpServerExchange exchange;
  private final HttpServerConnection connection;
  private final Framing framing = new Framing();
  private long delivered;
  private @Nullable IOException failure;

  private ChunkedBodyConduit(HttpServerExchange exchange, HttpServerConnection connection) {
    // Undertow's reader of the bytes read ahead (with the head, or put back), over the connection
    super(new ReadDataStreamSourceConduit(connection.getOriginalSourceConduit(), connection));
    this.exchange = exchange;
    this.connection = connection;
  }

  /**
   * Puts a strict decoder in place of Undertow's for a chunked HTTP/1.1 request, after checking the
   * body bytes that already arrived with the head.
   *
   * @return the violation in the bytes already received, or null when there is none (or the
   *     request is not a chunked HTTP/1.1 one)
   */
  static @Nullable String install(HttpServerExchange exchange) {
    if (!(exchange.getConnection() instanceof HttpServerConnection http)
        || !(http.getChannel().getSourceChannel().getConduit()
            instanceof ChunkedStreamSourceConduit)) {
      return null;
    }
    PooledByteBuffer ahead = http.getExtraBytes();
    if (ahead != null) {
      String violation = Framing.check(ahead.getBuffer().duplicate());
      if (violation != null) {
        return violation;
      }
    }
    http.getChannel().getSourceChannel().setConduit(new ChunkedBodyConduit(exchange, http));
    return null;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    IOException failed = failure;
    if (failed != null) {
      throw new IOException(failed.getMessage(), failed);
    }
    if (framing.done()) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    while (true) {
      PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
      boolean keep = false;
      try {
        ByteBuffer raw = pooled.getBuffer();
        int r = next.read(raw);
        raw.flip();
        if (r == -1) {
          throw fail(
              new EOFException(
                  "chunked request body ended before its last chunk: the connection closed"));
        }
        if (r == 0) {
          return 0;
        }
        int produced = decode(raw, dst);
        if (raw.hasRemaining()) {
          connection.ungetRequestBytes(pooled);
          keep = true;
        }
        count(produced);
        if (framing.done()) {
          Connectors.terminateRequest(exchange);
          return produced > 0 ? produced : -1;
        }
        if (produced > 0) {
          return produced;
        }
      } finally {
        if (!keep) {
          pooled.close();
        }
      }
    }
  }

  /** Copies data from {@code raw} to {@code dst}, checking all framing that arrived before it. */
  private int decode(ByteBuffer raw, ByteBuffer dst) throws IOException {
    int produced = 0;
    try {
      while (raw.hasRemaining() && !framing.done()) {
        if (framing.inData()) {
          if (!dst.hasRemaining()) {
            break;
          }
          int n = (int) Math.min(framing.remaining, Math.min(raw.remaining(), dst.remaining()));
          int limit = raw.limit();
          raw.limit(raw.position() + n);
          dst.put(raw);
          raw.limit(limit);
          framing.data(n);
          produced += n;
        } else {
          framing.step(raw.get());
        }
      }
    } catch (FramingException e) {
      throw fail(new IOException("malformed chunked request body: " + e.getMessage()));
    }
    return produced;
  }

  private void count(int produced) throws IOException {
    delivered += produced;
    long max = exchange.getMaxEntitySize();
    if (max > 0 && delivered > max) {
      throw fail(
          new RequestTooBigException("chunked request body is larger than " + max + " bytes"));
    }
  }

  private IOException fail(IOException e) {
    failure = e;
    exchange.setPersistent(false);
    IoUtils.safeClose(exchange.getConnection());
    return e;
  }

  @Override
  public void resumeReads() {
    if (framing.done() || failure != null) {
      next.wakeupReads();
    } else {
      next.resumeReads();
    }
  }

  @Override
  public void awaitReadable() throws IOException {
    if (!framing.done() && failure == null) {
      next.awaitReadable();
    }
  }

  @Override
  public void awaitReadable(long time, TimeUnit timeUnit) throws IOException {
    if (!framing.done() && failure == null) {
      next.awaitReadable(time, timeUnit);
    }
  }

  @Override
  public void terminateReads() throws IOException {
    if (!framing.done()) {
      exchange.setPersistent(false);
    }
    super.terminateReads();
  }

  /** A break of the chunked framing; its message names it. */
  static final class FramingException extends Exception {
    private static final long serialVersionUID = 1L;

    FramingException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The chunked framing of RFC 9112, section 7.1, a byte at a time:
   *
   * <pre>
   * chunked-body = *chunk last-chunk trailer-section CRLF
   * chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
   * chunk-ext    = *( BWS ";" BWS name [ BWS "=" BWS value ] )
   * </pre>
   *
   * Extensions are skipped (only visible characters, space and tab allowed); trailer fields are
   * skipped too (the host exposes none). Lines end in CRLF only: the grammar says CRLF, and the
   * leniency towards a bare LF in section 2.2 covers the start line and header fields, not the
   * body, where a recipient that reads a line end differently than a proxy finds a different end
   * of the body.
   */
  static final class Framing {
    /** The longest size line (with its extensions) and trailer field line. */
    static final int MAX_LINE = 8192;

    private static final int SIZE_FIRST = 0;
    private static final int SIZE = 1;
    private static final int EXTENSION = 2;
    private static final int SIZE_LF = 3;
    private static final int DATA = 4;
    private static final int DATA_CR = 5;
    private static final int DATA_LF = 6;
    private static final int TRAILER_START = 7;
    private static final int TRAILER = 8;
    private static final int TRAILER_LF = 9;
    private static final int END_LF = 10;
    private static final int DONE = 11;

    private int state = SIZE_FIRST;
    private long size;
    private long remaining;
    private int line;

    /**
     * Checks the framing in {@code bytes} (which may end anywhere, and go on past the body).
     *
     * @return the violation, or null when there is none in these bytes
     */
    static @Nullable String check(ByteBuffer bytes) {
      Framing framing = new Framing();
      try {
        while (bytes.hasRemaining() && !framing.done()) {
          if (framing.inData()) {
            int n = (int) Math.min(framing.remaining, bytes.remaining());
            bytes.position(bytes.position() + n);
            framing.data(n);
          } else {
            framing.step(bytes.get());
          }
        }
        return null;
      } catch (FramingException e) {
        return e.getMessage();
      }
    }

    boolean done() {
      return state == DONE;
    }

    /** True when chunk data is due: {@link #data(int)} takes it, not {@link #step(byte)}. */
    boolean inData() {
      return state == DATA;
    }

    void data(int n) {
      remaining -= n;
      if (remaining == 0) {
        state = DATA_CR;
      }
    }

    void step(byte b) throws FramingException {
      int c = b & 0xFF;
      switch (state) {
        case SIZE_FIRST, SIZE -> {
          int digit = Character.digit(c, 16);
          if (digit >= 0 && c < 0x80) {
            lineByte();
            if (size > (Long.MAX_VALUE - digit) >> 4) {
              throw new FramingException("chunk size has more hex digits than a long holds");
            }
            size = size << 4 | digit;
            state = SIZE;
          } else if (state == SIZE_FIRST) {
            throw new FramingException("chunk size must start with a hex digit, got " + shown(c));
          } else if (c == ';' || c == ' ' || c == '\t') {
            state = EXTENSION;
          } else {
            sizeLineEnd(c);
          }
        }
        case EXTENSION -> {
          if (c == ' ' || c == '\t' || (c >= 0x21 && c != 0x7F)) {
            lineByte();
          } else {
            sizeLineEnd(c);
          }
        }
        case SIZE_LF -> {
          expectLf(c, "chunk size line");
          line = 0;
          if (size == 0) {
            state = TRAILER_START;
          } else {
            remaining = size;
            state = DATA;
          }
        }
        case DATA_CR -> {
          if (c == '\n') {
            throw new FramingException("chunk data must end in CRLF, got a bare LF");
          }
          if (c != '\r') {
            throw new FramingException(
                "chunk data longer than its size " + size + ": expected CRLF, got " + shown(c));
          }
          state = DATA_LF;
        }
        case DATA_LF -> {
          expectLf(c, "chunk data");
          size = 0;
          state = SIZE_FIRST;
        }
        case TRAILER_START -> {
          if (c == '\r') {
            state = END_LF;
          } else {
            state = TRAILER;
            trailerByte(c);
          }
        }
        case TRAILER -> {
          if (c == '\r') {
            state = TRAILER_LF;
          } else {
            trailerByte(c);
          }
        }
        case TRAILER_LF -> {
          expectLf(c, "trailer field");
          line = 0;
          state = TRAILER_START;
        }
        case END_LF -> {
          expectLf(c, "chunked body");
          state = DONE;
        }
        default -> throw new IllegalStateException("no framing byte is due in state " + state);
      }
    }

    private void sizeLineEnd(int c) throws FramingException {
      if (c != '\r') {
        throw new FramingException(
            "chunk size line must end in CRLF after hex digits and extensions, got " + shown(c));
      }
      state = SIZE_LF;
    }

    private void trailerByte(int c) throws FramingException {
      if (c == '\n' || c == 0) {
        throw new FramingException("trailer field must end in CRLF, got " + shown(c));
      }
      lineByte();
    }

    private void lineByte() throws FramingException {
      if (++line > MAX_LINE) {
        throw new FramingException("chunk size or trailer line is longer than " + MAX_LINE + " bytes");
      }
    }

    private static void expectLf(int c, String after) throws FramingException {
      if (c != '\n') {
        throw new FramingException("expected LF after CR ending the " + after + ", got " + shown(c));
      }
    }

    private static String shown(int c) {
      return c >= 0x21 && c < 0x7F ? "'" + (char) c + "'" : String.format("0x%02X", c);
    }
  }
}
