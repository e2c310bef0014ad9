package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ext.SendFileAsync;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Serves the files under a root folder to {@code GET} and {@code HEAD}; other methods get 405.
 *
 * <h2>Which file</h2>
 *
 * The request path ({@code owin.RequestPath}, below wherever the endpoint is mounted) names a file
 * relative to the root. Directories, missing files and symbolic links that lead out of the root get
 * 404. A path that tries to leave the root gets 400: a {@code ..} or {@code .} segment (whether the
 * client sent it plain or as {@code %2e%2e}: the host has already decoded the path), an empty
 * segment (such as {@code //etc/passwd}), a backslash or a NUL. An encoded slash {@code %2F} cannot
 * be told from a real one once decoded, so it is simply a separator, and the checks above still
 * hold; finally the normalized path must lie under the root's real path.
 *
 * <h2>Response</h2>
 *
 * <ul>
 *   <li>{@code Content-Type} from the file name's extension (a small table; {@code
 *       application/octet-stream} otherwise), {@code Content-Length}, {@code Accept-Ranges: bytes},
 *       {@code Last-Modified}, and a strong {@code ETag} made of the size and modification time.
 *   <li>304 when {@code If-None-Match} lists the ETag (or {@code *}), or, without {@code
 *       If-None-Match}, when the file is not newer than {@code If-Modified-Since}.
 *   <li>A {@code GET} with one {@code Range} ({@code bytes=a-b}, open {@code bytes=a-} or suffix
 *       {@code bytes=-n}) gets 206 with {@code Content-Range}; a range that starts past the end
 *       gets 416 with {@code Content-Range: bytes *}{@code /SIZE}. Several ranges, a malformed
 *       range, or an {@code If-Range} that no longer matches get the whole file with 200: multipart
 *       responses are not offered, and ignoring {@code Range} is always allowed.
 * </ul>
 *
 * <h2>Body and threading</h2>
 *
 * When the host offers {@code sendfile.SendAsync} the body goes through it (zero-copy on hosts that
 * can) and the stage is the send's. When it does not, the endpoint falls back to copying the file
 * through the blocking {@code owin.ResponseBody} in 8 KiB pieces, so it works on any host. Reading
 * file attributes blocks on the disk, so the host calls this endpoint where blocking is allowed.
 */
public final class StaticFiles implements AppFunc {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private static final Map<String, String> CONTENT_TYPES =
      Map.ofEntries(
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("xml", "application/xml"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("wasm", "application/wasm"));

  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private final Path root;

  /**
   * Creates the endpoint over the folder {@code root}.
   *
   * @param root an existing directory; its real path (symbolic links resolved) is the boundary
   * @throws IllegalArgumentException if {@code root} does not exist or is not a directory
   */
  public StaticFiles(Path root) {
    Objects.requireNonNull(root, "root");
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("root must be an existing directory, got " + root, e);
    }
    if (!Files.isDirectory(this.root)) {
      throw new IllegalArgumentException("root must be a directory, got file " + root);
    }
  }

  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    if (!Env.isGetOrHead(env)) {
      return Env.methodNotAllowed(env, "GET, HEAD");
    }
    Path file;
    try {
      file = resolve(Env.path(env));
    } catch (IllegalArgumentException e) {
      return Env.text(env, 400, "Bad Request: " + e.getMessage() + "\n");
    }
    if (file == null) {
      return Env.notFound(env);
    }
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      return Env.notFound(env);
    }
    long size = attributes.size();
    Instant modified = attributes.lastModifiedTime().toInstant();
    String etag =
        "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified.toEpochMilli()) + "\"";
    String lastModified = HTTP_DATE.format(modified);
    Env.setHeader(env, "ETag", etag);
    Env.setHeader(env, "Last-Modified", lastModified);
    Env.setHeader(env, "Accept-Ranges", "bytes");
    if (notModified(env, etag, modified)) {
      Env.setStatus(env, 304);
      return Env.done();
    }
    ByteRange range = null;
    if (!Env.isHead(env) && ifRangeMatches(env, etag, lastModified)) {
      range = ByteRange.parse(Env.requestHeader(env, "Range"), size);
    }
    if (range == ByteRange.UNSATISFIABLE) {
      Env.setHeader(env, "Content-Range", "bytes */" + size);
      return Env.text(env, 416, "Range Not Satisfiable\n");
    }
    if (range == null) {
      range = new ByteRange(0, size);
      Env.setStatus(env, 200);
    } else {
      Env.setStatus(env, 206);
      Env.setHeader(env, "Content-Range", range.contentRange(size));
    }
    Env.setHeader(env, "Content-Type", contentType(file));
    Env.setHeader(env, "Content-Length", Long.toString(range.count()));
    if (Env.isHead(env)) {
      return Env.done();
    }
    return sendBody(env, file, range);
  }

  /**
   * The real path of the file {@code requestPath} names, or null when nothing is there.
   *
   * @throws IllegalArgumentException with a message for the client when the path tries to leave the
   *     root or is not a valid path
   */
  private @Nullable Path resolve(String requestPath) throws IOException {
    if (requestPath.isEmpty() || requestPath.equals("/")) {
      return null;
    }
    if (!requestPath.startsWith("/")) {
      throw new IllegalArgumentException("the path must start with /");
    }
    if (requestPath.indexOf('\\') >= 0 || requestPath.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("the path must not contain a backslash or NUL");
    }
    String relative = requestPath.substring(1);
    String[] segments = relative.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("the path must not contain . or .. segments");
      }
      if (segment.isEmpty()) {
        if (i == segments.length - 1) {
          return null; // a trailing slash names a directory
        }
        throw new IllegalArgumentException("the path must not contain empty segments");
      }
    }
    Path candidate = root.resolve(relative).normalize();
    if (!candidate.startsWith(root)) {
      throw new IllegalArgumentException("the path must stay inside the served folder");
    }
    // exists() also answers false for a path through a file (such as /a.txt/b), which
    // toRealPath() reports only as a generic FileSystemException.
    if (!Files.exists(candidate)) {
      return null;
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (NoSuchFileException e) {
      return null; // deleted since exists()
    }
    // A symbolic link inside the root may point anywhere; only its target counts.
    return real.startsWith(root) ? real : null;
  }

  private static boolean notModified(Map<String, Object> env, String etag, Instant modified) {
    if (Env.requestHeader(env, "If-None-Match") != null) {
      return Env.requestHeaderTokens(env, "If-None-Match").stream()
          .anyMatch(tag -> tag.equals("*") || weakTag(tag).equals(etag));
    }
    Instant since = parseHttpDate(Env.requestHeader(env, "If-Modified-Since"));
    // HTTP dates have whole seconds; the file's time may not.
    return since != null && !modified.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
  }

  /** The weak comparison of RFC 9110 ignores the {@code W/} mark. */
  private static String weakTag(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** True when there is no {@code If-Range}, or it still names this version of the file. */
  private static boolean ifRangeMatches(Map<String, Object> env, String etag, String lastModified) {
    String ifRange = Env.requestHeader(env, "If-Range");
    return ifRange == null || ifRange.equals(etag) || ifRange.equals(lastModified);
  }

  private static @Nullable Instant parseHttpDate(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null; // RFC 9110: a recipient ignores an invalid date
    }
  }

  private static String contentType(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return DEFAULT_CONTENT_TYPE;
    }
    return CONTENT_TYPES.getOrDefault(
        name.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT_CONTENT_TYPE);
  }

  private static CompletionStage<Void> sendBody(Map<String, Object> env, Path file, ByteRange range)
      throws IOException {
    SendFileAsync sendFile = Env.optional(env, SendFileKeys.SEND_ASYNC, SendFileAsync.class);
    if (sendFile != null) {
      CancellationToken cancel = Env.require(env, OwinKeys.CALL_CANCELLED, CancellationToken.class);
      return sendFile.sendFileAsync(file.toString(), range.offset(), range.count(), cancel);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.position(range.offset());
      long copied =
          Env.copy(Channels.newInputStream(channel), Env.responseBody(env), range.count());
      if (copied < range.count()) {
        throw new EOFException(
            file.getFileName() + " ended after " + copied + " of " + range.count() + " bytes");
      }
    }
    return Env.done();
  }

  /**
   * A run of bytes of a file.
   *
   * @param offset the first byte
   * @param count how many bytes
   */
  record ByteRange(long offset, long count) {
    /** The answer for a range that starts past the end of the file. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, 0);

    /**
     * The single range {@code header} asks for in a file of {@code size} bytes; {@link
     * #UNSATISFIABLE} when none of it lies in the file; null to send the whole file: no header, a
     * malformed one, another unit, or several ranges.
     */
    static @Nullable ByteRange parse(@Nullable String header, long size) {
      if (header == null) {
        return null;
      }
      String value = header.trim();
      if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.indexOf(',') >= 0) {
        return null;
      }
      String spec = value.substring(6).trim();
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return null;
      }
      long first = parseDigits(spec.substring(0, dash).trim());
      long last = parseDigits(spec.substring(dash + 1).trim());
      if (dash == 0) { // a suffix: the last N bytes
        if (last < 0) {
          return null;
        }
        if (last == 0 || size == 0) {
          return UNSATISFIABLE;
        }
        long count = Math.min(last, size);
        return new ByteRange(size - count, count);
      }
      if (first < 0 || (last < 0 && dash + 1 < spec.length()) || (last >= 0 && last < first)) {
        return null;
      }
      if (first >= size) {
        return UNSATISFIABLE;
      }
      long end = last < 0 ? size - 1 : Math.min(last, size - 1);
      return new ByteRange(first, end - first + 1);
    }

    /** A non-negative decimal, or -1 when {@code text} is not one (or too large for a long). */
    private static long parseDigits(String text) {
      if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return -1;
      }
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /** The {@code Content-Range} value of this range in a file of {@code size} bytes. */
    String contentRange(long size) {
      return "bytes " + offset + "-" + (offset + count - 1) + "/" + size;
    }
  }
}
