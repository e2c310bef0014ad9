package io.owin4j.middleware.compression;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.core.OwinContext;
import io.owin4j.middleware.internal.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Compresses response bodies with gzip when the client accepts it.
 *
 * <pre>{@code
 * app.use(ResponseCompression.builder().minimumSize(1024).build());
 * }</pre>
 *
 * <h2>When</h2>
 *
 * The decision is made once per response, just before its headers go out: at the first write to
 * the body, the first sendfile call, or the start of the response, whichever comes first. The
 * response is compressed when all of these hold:
 *
 * <ul>
 *   <li>the request is not {@code HEAD}, and {@code Accept-Encoding} gives {@code gzip} (or, not
 *       naming it, {@code *}) a quality above zero; {@code q=0} refuses, and without the header
 *       the body stays identity;
 *   <li>the status is 2xx other than 204 and 206, and there is no {@code Content-Range};
 *   <li>the body is not already encoded ({@code Content-Encoding} absent or {@code identity});
 *   <li>the media type of {@code Content-Type} is on the allow list (by default text, JSON,
 *       JavaScript, XML and SVG; {@code type/*} entries match a whole type);
 *   <li>{@code Content-Length}, when set, is at least the minimum size (default {@value
 *       #DEFAULT_MINIMUM_SIZE} bytes): a body known to be small stays identity.
 * </ul>
 *
 * <p>A compressed response gets {@code Content-Encoding: gzip}, loses {@code Content-Length} (the
 * host frames it), and a strong {@code ETag} becomes weak (the bytes differ from the identity
 * representation's). Every response whose status and media type qualify gets {@code Vary:
 * Accept-Encoding}, compressed or not, so that caches keep the two apart.
 *
 * <h2>Streaming</h2>
 *
 * Nothing is buffered beyond the deflater's window: every write is compressed and passed on, and
 * a flush of the body flushes the compressor (a sync flush), so a client sees each flushed part at
 * once. The gzip trailer is written when the application's stage completes. A sendfile call on a
 * compressed response reads the file through the compressor instead (blocking on the disk).
 *
 * <h2>Threading</h2>
 *
 * Immutable; any number of requests at once. The wrapped body is as thread-safe as the host's,
 * which is one writer at a time. Use it where blocking is allowed: it writes with the blocking
 * body stream.
 */
public final class ResponseCompression implements MidFunc {
  /** The default minimum size, in bytes, of a body whose length is known. */
  public static final int DEFAULT_MINIMUM_SIZE = 256;

  private static final List<String> DEFAULT_TYPES =
      List.of(
          "text/*",
          "application/json",
          "application/javascript",
          "application/xml",
          "application/xhtml+xml",
          "application/wasm",
          "image/svg+xml");

  private final int minimumSize;
  private final List<String> contentTypes;
  private final int level;

  private ResponseCompression(Builder builder) {
    this.minimumSize = builder.minimumSize;
    this.contentTypes = List.copyOf(builder.contentTypes);
    this.level = builder.level;
  }

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns compression with the defaults. */
  public static ResponseCompression create() {
    return builder().build();
  }

  @Override
  public AppFunc apply(AppFunc next) {
    Objects.requireNonNull(next, "next");
    return env -> {
      if (Http.isHead(env)) {
        return next.invoke(env);
      }
      boolean accepted = AcceptEncoding.acceptsGzip(Http.requestHeaderTokens(env, "Accept-Encoding"));
      Exchange exchange = new Exchange(env, accepted);
      OnSendingHeaders onSending =
          OwinContext.of(env).get(ServerKeys.ON_SENDING_HEADERS, OnSendingHeaders.class);
      if (onSending != null) {
        onSending.register(state -> exchange.decide(), exchange);
      }
      env.put(OwinKeys.RESPONSE_BODY, exchange.body);
      SendFileAsync sendFile = OwinContext.of(env).get(SendFileKeys.SEND_ASYNC, SendFileAsync.class);
      if (sendFile != null) {
        env.put(SendFileKeys.SEND_ASYNC, exchange.sendFile(sendFile));
      }
      return AppFunc.invokeSafely(next, env)
          .thenCompose(
              ignored -> {
                try {
                  exchange.finish();
                  return Http.done();
                } catch (IOException e) {
                  return CompletableFuture.failedFuture(e);
                }
              });
    };
  }

  private boolean typeAllowed(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    for (String allowed : contentTypes) {
      if (allowed.endsWith("/*")
          ? type.startsWith(allowed.substring(0, allowed.length() - 1))
          : type.equals(allowed)) {
        return true;
      }
    }
    return false;
  }

  /** One response's decision and streams. */
  private final class Exchange {
    private final Map<String, Object> env;
    private final boolean accepted;
    private final OutputStream original;
    private final CompressingBody body = new CompressingBody();
    private boolean decided;
    private @Nullable GZIPOutputStream gzip;

    Exchange(Map<String, Object> env, boolean accepted) {
      this.env = env;
      this.accepted = accepted;
      this.original = OwinContext.of(env).responseBody();
    }

    void decide() {
      if (decided) {
        return;
      }
      decided = true;
      OwinContext context = OwinContext.of(env);
      int status = context.statusCode();
      if (status < 200 || status > 299 || status == 204 || status == 206) {
        return;
      }
      if (Http.responseHeader(env, "Content-Range") != null) {
        return;
      }
      String encoding = Http.responseHeader(env, "Content-Encoding");
      if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) {
        return;
      }
      if (!typeAllowed(Http.responseHeader(env, "Content-Type"))) {
        return;
      }
      Http.addResponseHeaderToken(env, "Vary", "Accept-Encoding");
      if (!accepted) {
        return;
      }
      String length = Http.responseHeader(env, "Content-Length");
      if (length != null) {
        try {
          if (Long.parseLong(length.trim()) < minimumSize) {
            return;
          }
        } catch (NumberFormatException e) {
          return; // not ours to judge; leave the response as the application made it
        }
      }
      Http.removeResponseHeader(env, "Content-Length");
      Http.removeResponseHeader(env, "Content-Encoding");
      context.setResponseHeader("Content-Encoding", "gzip");
      String etag = Http.responseHeader(env, "ETag");
      if (etag != null && etag.startsWith("\"")) {
        context.setResponseHeader("ETag", "W/" + etag);
      }
      try {
        gzip = new LeveledGzip(new Unclosable(original), level);
      } catch (IOException e) {
        throw new IllegalStateException("could not start the gzip stream", e);
      }
    }

    OutputStream target() {
      decide();
      return gzip != null ? gzip : original;
    }

    void finish() throws IOException {
      if (!decided) {
        decided = true; // nothing was written: nothing to compress
        return;
      }
      if (gzip != null) {
        gzip.finish();
        original.flush();
      }
    }

    SendFileAsync sendFile(SendFileAsync host) {
      return (path, offset, count, cancel) -> {
        decide();
        if (gzip == null) {
          return host.sendFileAsync(path, offset, count, cancel);
        }
        try (FileChannel channel = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
          channel.position(offset);
          InputStream in = Channels.newInputStream(channel);
          byte[] buffer = new byte[8192];
          long left = count == null ? Long.MAX_VALUE : count;
          while (left > 0) {
            cancel.throwIfCancellationRequested();
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
              break;
            }
            gzip.write(buffer, 0, n);
            left -= n;
          }
          return Http.done();
        } catch (IOException | RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      };
    }

    /** The body the application writes to. */
    private final class CompressingBody extends OutputStream {
      @Override
      public void write(int b) throws IOException {
        target().write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
          return;
        }
        target().write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        target().flush();
        original.flush();
      }

      @Override
      public void close() throws IOException {
        finish();
      }
    }
  }

  /** A gzip stream at a chosen level whose flush is a sync flush. */
  private static final class LeveledGzip extends GZIPOutputStream {
    LeveledGzip(OutputStream out, int level) throws IOException {
      super(out, 8192, true);
      def.setLevel(level);
    }
  }

  /** Finishing the gzip stream must not end the host's body: the host ends it. */
  private static final class Unclosable extends OutputStream {
    private final OutputStream out;

    Unclosable(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() {}
  }

  /** Configures {@link ResponseCompression}; not thread-safe. */
  public static final class Builder {
    private int minimumSize = DEFAULT_MINIMUM_SIZE;
    private final List<String> contentTypes = new ArrayList<>(DEFAULT_TYPES);
    private int level = Deflater.DEFAULT_COMPRESSION;

    private Builder() {}

    /**
     * Sets the smallest {@code Content-Length} worth compressing; bodies of unknown length are
     * always compressed.
     *
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public Builder minimumSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("minimum size must be >= 0, got " + bytes);
      }
      this.minimumSize = bytes;
      return this;
    }

    /**
     * Replaces the allow list of media types, such as {@code text/*} or {@code application/json};
     * compared ignoring case and parameters.
     *
     * @return this builder
     * @throws IllegalArgumentException if an entry is not {@code type/subtype} or {@code type/*}
     */
    public Builder contentTypes(String... mediaTypes) {
      Objects.requireNonNull(mediaTypes, "mediaTypes");
      List<String> checked = new ArrayList<>();
      for (String type : mediaTypes) {
        Objects.requireNonNull(type, "mediaType");
        String lower = type.trim().toLowerCase(Locale.ROOT);
        int slash = lower.indexOf('/');
        if (slash <= 0 || slash == lower.length() - 1 || lower.contains(";")) {
          throw new IllegalArgumentException(
              "media type must be type/subtype or type/*, got \"" + type + "\"");
        }
        checked.add(lower);
      }
      contentTypes.clear();
      contentTypes.addAll(checked);
      return this;
    }

    /**
     * Sets the deflate level, 1 (fastest) to 9 (smallest), or -1 for the default.
     *
     * @return this builder
     * @throws IllegalArgumentException if {@code level} is out of range
     */
    public Builder level(int level) {
      if (level != Deflater.DEFAULT_COMPRESSION && (level < 1 || level > 9)) {
        throw new IllegalArgumentException("level must be -1 or in [1, 9], got " + level);
      }
      this.level = level;
      return this;
    }

    /** Returns the configured middleware. */
    public ResponseCompression build() {
      return new ResponseCompression(this);
    }
  }
}
