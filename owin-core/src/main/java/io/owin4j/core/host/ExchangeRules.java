package io.owin4j.core.host;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The rules of an exchange's lifecycle that every host applies the same way: which requests never
 * reach the application, and what a failure before the response started is answered with.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExchangeRules {
  /** The status of a request whose body is over the limit. */
  public static final int PAYLOAD_TOO_LARGE = 413;

  /** The status of a failure before the response started. */
  public static final int INTERNAL_SERVER_ERROR = 500;

  private ExchangeRules() {}

  /**
   * True when a request declares a body longer than {@code maxBodySize}: the host answers 413
   * without running the application, and closes the connection rather than read the body.
   *
   * @param declaredLength the {@code Content-Length}, or a negative number when none was declared
   * @param maxBodySize the limit in bytes; not positive means none
   */
  public static boolean declaredTooLarge(long declaredLength, long maxBodySize) {
    return maxBodySize > 0 && declaredLength > maxBodySize;
  }

  /**
   * The status a host answers with when the application failed with {@code failure} before the
   * response started: 413 for a body over the limit ({@link RequestBodyTooLargeException}, also as
   * a cause), else 500.
   */
  public static int statusOf(Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RequestBodyTooLargeException) {
        return PAYLOAD_TOO_LARGE;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return INTERNAL_SERVER_ERROR;
  }

  /**
   * {@code body} for a host without a limit of its own: a read past {@code maxBodySize} bytes fails
   * with {@link RequestBodyTooLargeException}.
   *
   * @throws IllegalArgumentException if {@code maxBodySize} is not positive
   */
  public static InputStream limited(InputStream body, long maxBodySize) {
    Objects.requireNonNull(body, "body");
    if (maxBodySize <= 0) {
      throw new IllegalArgumentException("maxBodySize must be positive, got " + maxBodySize);
    }
    return new FilterInputStream(body) {
      private long read;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          count(n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
      }

      @Override
      public boolean markSupported() {
        return false;
      }

      private void count(long n) throws IOException {
        read += n;
        if (read > maxBodySize) {
          throw new RequestBodyTooLargeException(maxBodySize, null);
        }
      }
    };
  }

  /**
   * The failure of a response body write of {@code more} bytes after {@code written} when the
   * response declared {@code declaredLength} bytes: every host refuses the write that would pass
   * the declared {@code Content-Length}, before any of its bytes go out, so the body the client
   * gets is the one the head announced.
   *
   * @param declaredLength from {@link #declaredLength}; negative when none was declared
   * @return the failure to throw, or null when the bytes fit
   */
  public static @Nullable IOException beyondDeclaredLength(
      long written, long more, long declaredLength) {
    if (declaredLength < 0 || written + more <= declaredLength) {
      return null;
    }
    return new IOException(
        "owin.ResponseBody is declared "
            + declaredLength
            + " bytes long (Content-Length) and has "
            + written
            + " already: "
            + more
            + " more cannot be written");
  }

  /**
   * The body length the response headers declare: their {@code Content-Length} (names compared
   * without case), or -1 when there is none, it is not a number, or a {@code Transfer-Encoding}
   * frames the body instead.
   */
  public static long declaredLength(Map<String, String[]> responseHeaders) {
    String length = null;
    for (Map.Entry<String, String[]> header : responseHeaders.entrySet()) {
      if (header.getKey().equalsIgnoreCase("Transfer-Encoding")) {
        return -1;
      }
      if (header.getKey().equalsIgnoreCase("Content-Length") && header.getValue().length > 0) {
        length = header.getValue()[0];
      }
    }
    return declaredLength(length, false);
  }

  /**
   * The body length a response declares with {@code contentLength}, its {@code Content-Length}
   * value (or null): -1 when there is none, it is not a number, or {@code transferEncoded} (a
   * {@code Transfer-Encoding} frames the body instead). A value that is not a number declares no
   * length: it fails no write.
   */
  public static long declaredLength(@Nullable String contentLength, boolean transferEncoded) {
    if (contentLength == null || transferEncoded) {
      return -1;
    }
    try {
      long length = Long.parseLong(contentLength.trim());
      return length < 0 ? -1 : length;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * {@code body} for a host that counts response body bytes on a stream: a write past the length
   * {@code declaredLength} answers when it is made fails as {@link #beyondDeclaredLength} says.
   */
  public static OutputStream limitedToDeclaredLength(
      OutputStream body, LongSupplier declaredLength) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(declaredLength, "declaredLength");
    return new FilterOutputStream(body) {
      private long written;

      @Override
      public void write(int b) throws IOException {
        count(1);
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        count(len);
        out.write(b, off, len);
      }

      private void count(int more) throws IOException {
        IOException beyond = beyondDeclaredLength(written, more, declaredLength.getAsLong());
        if (beyond != null) {
          throw beyond;
        }
        written += more;
      }
    };
  }
}
