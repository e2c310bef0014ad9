package io.owin4j.examples;

import io.owin4j.api.OwinKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads and small responses over a raw OWIN environment, shared by the example middleware so
 * that each of them reads as its route's logic only.
 *
 * <p>Every accessor fails with {@link IllegalStateException} naming the key when the host left a
 * required key out or gave it the wrong type: that is a host bug, and guessing would hide it.
 */
final class Env {
  static final String TEXT_PLAIN = "text/plain; charset=utf-8";

  /** The size of the buffer every streaming copy uses. */
  static final int COPY_BUFFER_SIZE = 8192;

  private Env() {}

  /** The value of a required key, checked against {@code type}. */
  static <T> T require(Map<String, Object> env, String key, Class<T> type) {
    T value = optional(env, key, type);
    if (value == null) {
      throw new IllegalStateException(key + " must be present in the environment, but is missing");
    }
    return value;
  }

  /** The value of an optional key checked against {@code type}, or null when absent. */
  static <T> @Nullable T optional(Map<String, Object> env, String key, Class<T> type) {
    Object value = env.get(key);
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw new IllegalStateException(
          key
              + " must be a "
              + type.getSimpleName()
              + ", got "
              + value.getClass().getSimpleName()
              + " "
              + value);
    }
    return type.cast(value);
  }

  static String method(Map<String, Object> env) {
    return require(env, OwinKeys.REQUEST_METHOD, String.class);
  }

  static String path(Map<String, Object> env) {
    return require(env, OwinKeys.REQUEST_PATH, String.class);
  }

  static boolean isHead(Map<String, Object> env) {
    return method(env).equals("HEAD");
  }

  static boolean isGetOrHead(Map<String, Object> env) {
    String method = method(env);
    return method.equals("GET") || method.equals("HEAD");
  }

  static Map<String, String[]> requestHeaders(Map<String, Object> env) {
    return headers(env, OwinKeys.REQUEST_HEADERS);
  }

  static Map<String, String[]> responseHeaders(Map<String, Object> env) {
    return headers(env, OwinKeys.RESPONSE_HEADERS);
  }

  @SuppressWarnings("unchecked") // the spec fixes the value type; the map check guards the rest
  private static Map<String, String[]> headers(Map<String, Object> env, String key) {
    return (Map<String, String[]>) require(env, key, Map.class);
  }

  /** The first value of a request header, or null when the client did not send it. */
  static @Nullable String requestHeader(Map<String, Object> env, String name) {
    String[] values = requestHeaders(env).get(name);
    return values == null || values.length == 0 ? null : values[0];
  }

  /**
   * The comma-separated tokens of every value of a request header, trimmed and without empty ones;
   * empty when the header is absent. Headers such as {@code Connection} may arrive as one value or
   * as several, and both mean the same.
   */
  static List<String> requestHeaderTokens(Map<String, Object> env, String name) {
    List<String> tokens = new ArrayList<>();
    String[] values = requestHeaders(env).get(name);
    if (values != null) {
      for (String value : values) {
        for (String token : value.split(",")) {
          String trimmed = token.trim();
          if (!trimmed.isEmpty()) {
            tokens.add(trimmed);
          }
        }
      }
    }
    return tokens;
  }

  /** True when a request header lists {@code token}, compared ignoring case. */
  static boolean requestHeaderHasToken(Map<String, Object> env, String name, String token) {
    String wanted = token.toLowerCase(Locale.ROOT);
    return requestHeaderTokens(env, name).stream()
        .anyMatch(t -> t.toLowerCase(Locale.ROOT).equals(wanted));
  }

  static void setHeader(Map<String, Object> env, String name, String value) {
    responseHeaders(env).put(name, new String[] {value});
  }

  static void setStatus(Map<String, Object> env, int status) {
    env.put(OwinKeys.RESPONSE_STATUS_CODE, status);
  }

  static OutputStream responseBody(Map<String, Object> env) {
    return require(env, OwinKeys.RESPONSE_BODY, OutputStream.class);
  }

  /**
   * Sends a complete response with a known length; a HEAD request gets the same headers and no
   * body.
   */
  static CompletionStage<Void> send(
      Map<String, Object> env, int status, String contentType, byte[] body) throws IOException {
    setStatus(env, status);
    setHeader(env, "Content-Type", contentType);
    setHeader(env, "Content-Length", Integer.toString(body.length));
    if (!isHead(env)) {
      responseBody(env).write(body);
    }
    return done();
  }

  /** Sends {@code text} as {@code text/plain; charset=utf-8}. */
  static CompletionStage<Void> text(Map<String, Object> env, int status, String text)
      throws IOException {
    return send(env, status, TEXT_PLAIN, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers 404. */
  static CompletionStage<Void> notFound(Map<String, Object> env) throws IOException {
    return text(env, 404, "Not Found\n");
  }

  /** Answers 405 with the {@code Allow} header listing {@code allowed}. */
  static CompletionStage<Void> methodNotAllowed(Map<String, Object> env, String allowed)
      throws IOException {
    setHeader(env, "Allow", allowed);
    return text(env, 405, "Method Not Allowed\n");
  }

  /**
   * Answers a request that should have asked for a protocol upgrade and did not: 426 naming the
   * protocol in {@code Upgrade} on HTTP/1.x. HTTP/2 forbids the connection-specific {@code Upgrade}
   * header (a client treats it as a malformed response), so there the answer is a plain 400.
   */
  static CompletionStage<Void> upgradeRequired(Map<String, Object> env, String protocol)
      throws IOException {
    if (require(env, OwinKeys.REQUEST_PROTOCOL, String.class).startsWith("HTTP/1.")) {
      setHeader(env, "Upgrade", protocol);
      return text(env, 426, "Upgrade Required: this endpoint speaks " + protocol + " only\n");
    }
    return text(env, 400, "Bad Request: " + protocol + " needs an HTTP/1.1 Upgrade request\n");
  }

  /**
   * Copies at most {@code limit} bytes from {@code in} to {@code out} through one buffer of {@value
   * #COPY_BUFFER_SIZE} bytes, never holding more. Flushes whenever {@code in} has nothing more
   * available, so that a peer sending a little at a time sees its bytes come back before the next
   * read blocks.
   *
   * @return how many bytes were copied: {@code limit}, or fewer when {@code in} ended first
   */
  static long copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER_SIZE];
    long copied = 0;
    while (copied < limit) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
      if (n == -1) {
        break;
      }
      out.write(buffer, 0, n);
      copied += n;
      if (in.available() == 0) {
        out.flush();
      }
    }
    return copied;
  }

  /** The stage of work that is already done. */
  static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
