package io.owin4j.middleware.staticfiles;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.core.OwinContext;
import io.owin4j.middleware.internal.Http;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Serves the files of a folder or a class path prefix to {@code GET} and {@code HEAD}.
 *
 * <pre>{@code
 * app.map("/files", files -> files.run(StaticFiles.fromDirectory(Path.of("public")).build()));
 * app.use(StaticFiles.fromClasspath(App.class.getClassLoader(), "com/example/web").build());
 * }</pre>
 *
 * <h2>Endpoint or middleware</h2>
 *
 * Run as an {@link AppFunc}, it is the end of the pipeline: a missing file gets 404 and another
 * method 405 with {@code Allow: GET, HEAD}. Added as a {@link MidFunc} with {@code use}, it serves
 * what it finds and hands everything else (other methods, missing files) to the next application.
 *
 * <h2>Which file</h2>
 *
 * The request path ({@code owin.RequestPath}, below wherever the files are mounted) names a file
 * relative to the root. A path that tries to leave the root gets 400: a {@code ..} or {@code .}
 * segment (whether the client sent it plain or as {@code %2e%2e}: the host has already decoded the
 * path), an empty segment (such as {@code //etc/passwd}), a backslash or a NUL. A double-encoded
 * {@code %252e} arrives as the literal name {@code %2e}, which names no file: 404. Finally the real
 * path (symbolic links resolved) must lie under the root's real path, or the file is missing: 404.
 *
 * <p>A folder is served by its first index file ({@code index.html} unless set), or, when enabled,
 * by an HTML listing of its entries (names HTML-escaped, links percent-encoded); otherwise it is
 * missing. A folder asked for without its trailing slash is redirected (301) to it, so relative
 * links in the page resolve. Class path folders are never listed.
 *
 * <h2>Response</h2>
 *
 * <ul>
 *   <li>{@code Content-Type} from the extension (a small table, extensible with {@link
 *       Builder#contentType}; {@code application/octet-stream} otherwise), {@code Content-Length},
 *       {@code Accept-Ranges: bytes}, {@code Last-Modified}, and a strong {@code ETag} made of the
 *       size and modification time.
 *   <li>Preconditions in the order of RFC 9110: {@code If-Match} (strong comparison, {@code *}
 *       matches) or else {@code If-Unmodified-Since} failing gets 412; then {@code If-None-Match}
 *       (weak comparison) matching, or else the file not newer than {@code If-Modified-Since}, gets
 *       304 without a body. An invalid date is ignored.
 *   <li>A {@code GET} with one {@code Range} ({@code bytes=a-b}, open {@code bytes=a-} or suffix
 *       {@code bytes=-n}) gets 206 with {@code Content-Range}; a range that starts past the end
 *       gets 416 with {@code Content-Range: bytes *}{@code /SIZE}. Several ranges, a malformed
 *       range, or an {@code If-Range} that no longer matches get the whole file with 200: multipart
 *       responses are not offered, and ignoring {@code Range} is always allowed.
 * </ul>
 *
 * <h2>Body and threading</h2>
 *
 * When the environment offers sendfile ({@code sendfile.SendAsync}, which every host that has the
 * typed {@code SendFileFeature} presents) and the bytes are a file of their own, the body goes through it (zero-copy on hosts that can) and the stage is
 * the send's. Otherwise the bytes are copied through the blocking {@code owin.ResponseBody} in 8
 * KiB pieces, so it works on any host. Reading files blocks on the disk, so run it where blocking
 * is allowed. Instances are immutable and serve any number of requests at once.
 */
public final class StaticFiles implements AppFunc, MidFunc {
  private static final int COPY_BUFFER_SIZE = 8192;
  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
  private static final Map<String, String> CONTENT_TYPES =
      Map.ofEntries(
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("md", "text/markdown; charset=utf-8"),
          Map.entry("csv", "text/csv; charset=utf-8"),
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("xml", "application/xml"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("woff2", "font/woff2"));

  private final Source source;
  private final List<String> indexFiles;
  private final boolean directoryListing;
  private final Map<String, String> contentTypes;

  private StaticFiles(Builder builder) {
    this.source = builder.source;
    this.indexFiles = List.copyOf(builder.indexFiles);
    this.directoryListing = builder.directoryListing;
    this.contentTypes = Map.copyOf(builder.contentTypes);
  }

  /**
   * Starts a builder over the folder {@code root}.
   *
   * @param root an existing directory; its real path (symbolic links resolved) is the boundary
   * @throws IllegalArgumentException if {@code root} does not exist or is not a directory
   */
  public static Builder fromDirectory(Path root) {
    return new Builder(new DirectorySource(root));
  }

  /**
   * Starts a builder over the class path resources under {@code prefix}, such as {@code
   * com/example/web}, found with {@code loader}.
   *
   * @throws IllegalArgumentException if {@code prefix} is empty (that would serve class files)
   */
  public static Builder fromClasspath(ClassLoader loader, String prefix) {
    return new Builder(new ClasspathSource(loader, prefix));
  }

  /** Serves the request as the end of the pipeline: 404 when missing, 405 for other methods. */
  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    return serve(
        env,
        e -> {
          if (isGetOrHead(e)) {
            return Http.text(e, 404, "Not Found\n");
          }
          OwinContext.of(e).setResponseHeader("Allow", "GET, HEAD");
          return Http.text(e, 405, "Method Not Allowed\n");
        });
  }

  /** Serves what it finds and hands the rest to {@code next}. */
  @Override
  public AppFunc apply(AppFunc next) {
    Objects.requireNonNull(next, "next");
    return env -> serve(env, next);
  }

  private CompletionStage<Void> serve(Map<String, Object> env, AppFunc missing) throws Exception {
    if (!isGetOrHead(env)) {
      return missing.invoke(env);
    }
    OwinContext context = OwinContext.of(env);
    String path = context.path();
    String relative;
    try {
      relative = checkedRelativePath(path);
    } catch (IllegalArgumentException e) {
      return Http.text(env, 400, "Bad Request: " + e.getMessage() + "\n");
    }
    Resource resource = source.find(relative);
    if (resource == null) {
      return missing.invoke(env);
    }
    if (!resource.isDirectory()) {
      if (path.endsWith("/")) {
        return missing.invoke(env);
      }
      return serveFile(env, resource);
    }
    Resource index = null;
    for (String name : indexFiles) {
      Resource candidate = source.find(relative.isEmpty() ? name : relative + "/" + name);
      if (candidate != null && !candidate.isDirectory()) {
        index = candidate;
        break;
      }
    }
    boolean listable = directoryListing && !(source instanceof ClasspathSource);
    if (index == null && !listable) {
      return missing.invoke(env);
    }
    if (!path.endsWith("/")) {
      String query = context.queryString();
      context.setResponseHeader(
          "Location", context.pathBase() + path + "/" + (query.isEmpty() ? "" : "?" + query));
      return Http.text(env, 301, "Moved Permanently\n");
    }
    if (index != null) {
      return serveFile(env, index);
    }
    return Http.send(
        env, 200, "text/html; charset=utf-8", listing(context, resource).getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isGetOrHead(Map<String, Object> env) {
    String method = OwinContext.of(env).method();
    return method.equals("GET") || method.equals("HEAD");
  }

  /**
   * The request path as a relative path of checked segments joined with {@code /}: empty for the
   * root, no trailing slash.
   *
   * @throws IllegalArgumentException with a message for the client when the path tries to leave
   *     the root or is not a valid path
   */
  static String checkedRelativePath(String requestPath) {
    if (requestPath.isEmpty()) {
      return "";
    }
    if (!requestPath.startsWith("/")) {
      throw new IllegalArgumentException("the path must start with /");
    }
    if (requestPath.indexOf('\\') >= 0 || requestPath.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("the path must not contain a backslash or NUL");
    }
    String relative = requestPath.substring(1);
    if (relative.endsWith("/")) {
      relative = relative.substring(0, relative.length() - 1);
    }
    if (relative.isEmpty()) {
      return "";
    }
    for (String segment : relative.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("the path must not contain . or .. segments");
      }
      if (segment.isEmpty()) {
        throw new IllegalArgumentException("the path must not contain empty segments");
      }
    }
    return relative;
  }

  private CompletionStage<Void> serveFile(Map<String, Object> env, Resource file)
      throws IOException {
    OwinContext context = OwinContext.of(env);
    long size = file.size();
    Instant modified = file.lastModified().truncatedTo(ChronoUnit.MILLIS);
    String etag =
        "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified.toEpochMilli()) + "\"";
    String lastModified = Http.formatDate(modified);
    context.setResponseHeader("ETag", etag);
    context.setResponseHeader("Last-Modified", lastModified);
    context.setResponseHeader("Accept-Ranges", "bytes");
    if (preconditionFailed(env, etag, modified)) {
      return Http.text(env, 412, "Precondition Failed\n");
    }
    if (notModified(env, etag, modified)) {
      context.setStatusCode(304);
      return Http.done();
    }
    ByteRange range = null;
    if (!Http.isHead(env) && ifRangeMatches(context, etag, lastModified)) {
      range = ByteRange.parse(context.requestHeader("Range"), size);
    }
    if (range == ByteRange.UNSATISFIABLE) {
      context.setResponseHeader("Content-Range", "bytes */" + size);
      return Http.text(env, 416, "Range Not Satisfiable\n");
    }
    if (range == null) {
      range = new ByteRange(0, size);
      context.setStatusCode(200);
    } else {
      context.setStatusCode(206);
      context.setResponseHeader("Content-Range", range.contentRange(size));
    }
    context.setContentType(contentType(file.name()));
    context.setResponseHeader("Content-Length", Long.toString(range.count()));
    if (Http.isHead(env)) {
      return Http.done();
    }
    return sendBody(env, file, range);
  }

  private static boolean preconditionFailed(
      Map<String, Object> env, String etag, Instant modified) {
    List<String> ifMatch = Http.requestHeaderTokens(env, "If-Match");
    if (!ifMatch.isEmpty()) {
      return ifMatch.stream().noneMatch(tag -> tag.equals("*") || tag.equals(etag));
    }
    Instant since = Http.parseDate(OwinContext.of(env).requestHeader("If-Unmodified-Since"));
    return since != null && modified.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
  }

  private static boolean notModified(Map<String, Object> env, String etag, Instant modified) {
    OwinContext context = OwinContext.of(env);
    if (context.requestHeader("If-None-Match") != null) {
      return Http.requestHeaderTokens(env, "If-None-Match").stream()
          .anyMatch(tag -> tag.equals("*") || weakTag(tag).equals(etag));
    }
    Instant since = Http.parseDate(context.requestHeader("If-Modified-Since"));
    // HTTP dates have whole seconds; the file's time may not.
    return since != null && !modified.truncatedTo(ChronoUnit.SECONDS).isAfter(since);
  }

  /** The weak comparison of RFC 9110 ignores the {@code W/} mark. */
  private static String weakTag(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** True when there is no {@code If-Range}, or it still names this version of the file. */
  private static boolean ifRangeMatches(OwinContext context, String etag, String lastModified) {
    String ifRange = context.requestHeader("If-Range");
    return ifRange == null || ifRange.equals(etag) || ifRange.equals(lastModified);
  }

  private String contentType(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return DEFAULT_CONTENT_TYPE;
    }
    String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
    String type = contentTypes.get(extension);
    return type != null ? type : CONTENT_TYPES.getOrDefault(extension, DEFAULT_CONTENT_TYPE);
  }

  private static CompletionStage<Void> sendBody(
      Map<String, Object> env, Resource file, ByteRange range) throws IOException {
    Path path = file.file();
    // The key, not the typed feature: middleware before this one may have replaced the delegate
    // (to compress, to count bytes), and the map is where OWIN says it does.
    SendFileAsync sendFile =
        path == null ? null : OwinContext.of(env).get(SendFileKeys.SEND_ASYNC, SendFileAsync.class);
    if (sendFile != null && path != null) {
      return sendFile.sendFileAsync(
          path.toString(), range.offset(), range.count(), OwinContext.of(env).callCancelled());
    }
    OutputStream body = OwinContext.of(env).responseBody();
    try (InputStream in = file.open(range.offset())) {
      byte[] buffer = new byte[COPY_BUFFER_SIZE];
      long copied = 0;
      while (copied < range.count()) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, range.count() - copied));
        if (n < 0) {
          throw new EOFException(
              file.name() + " ended after " + copied + " of " + range.count() + " bytes");
        }
        body.write(buffer, 0, n);
        copied += n;
      }
    }
    return Http.done();
  }

  private static String listing(OwinContext context, Resource directory) throws IOException {
    String title = Http.escapeHtml("Index of " + context.pathBase() + context.path());
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(title)
        .append("</title></head>\n<body><h1>")
        .append(title)
        .append("</h1>\n<ul>\n");
    if (!context.path().equals("/") && !context.path().isEmpty()) {
      html.append("<li><a href=\"../\">../</a></li>\n");
    }
    for (Resource child : directory.children()) {
      String name = child.name() + (child.isDirectory() ? "/" : "");
      String href = URLEncoder.encode(child.name(), StandardCharsets.UTF_8).replace("+", "%20");
      html.append("<li><a href=\"")
          .append(Http.escapeHtml(href + (child.isDirectory() ? "/" : "")))
          .append("\">")
          .append(Http.escapeHtml(name))
          .append("</a></li>\n");
    }
    html.append("</ul></body></html>\n");
    return html.toString();
  }

  /** Configures a {@link StaticFiles}; not thread-safe. */
  public static final class Builder {
    private final Source source;
    private final List<String> indexFiles = new ArrayList<>(List.of("index.html"));
    private boolean directoryListing;
    private final Map<String, String> contentTypes = new HashMap<>();

    private Builder(Source source) {
      this.source = source;
    }

    /**
     * Sets the index files a folder is served by, tried in this order; none turns index files off.
     * The default is {@code index.html}.
     *
     * @return this builder
     * @throws IllegalArgumentException if a name is empty or contains {@code /} or {@code \}
     */
    public Builder indexFiles(String... names) {
      Objects.requireNonNull(names, "names");
      List<String> checked = new ArrayList<>();
      for (String name : names) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..")) {
          throw new IllegalArgumentException(
              "index file must be a plain file name such as index.html, got \"" + name + "\"");
        }
        checked.add(name);
      }
      indexFiles.clear();
      indexFiles.addAll(checked);
      return this;
    }

    /**
     * Turns the HTML listing of folders without an index file on or off (off by default). Folders
     * on the class path are never listed.
     *
     * @return this builder
     */
    public Builder directoryListing(boolean enabled) {
      this.directoryListing = enabled;
      return this;
    }

    /**
     * Sets the {@code Content-Type} of files ending in {@code .extension} (compared ignoring case),
     * overriding the built-in table.
     *
     * @return this builder
     * @throws IllegalArgumentException if {@code extension} is empty or starts with a dot
     */
    public Builder contentType(String extension, String contentType) {
      Objects.requireNonNull(extension, "extension");
      Objects.requireNonNull(contentType, "contentType");
      if (extension.isEmpty() || extension.startsWith(".")) {
        throw new IllegalArgumentException(
            "extension must be given without its dot, such as txt, got \"" + extension + "\"");
      }
      contentTypes.put(extension.toLowerCase(Locale.ROOT), contentType);
      return this;
    }

    /** Returns the configured files. */
    public StaticFiles build() {
      return new StaticFiles(this);
    }
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
