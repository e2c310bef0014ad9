package io.owin4j.middleware.internal;

import io.owin4j.api.OwinKeys;
import io.owin4j.core.OwinContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** Small HTTP reads and writes over an environment that several middleware need alike. */
public final class Http {
  /** The media type of every short text answer. */
  public static final String TEXT_PLAIN = "text/plain; charset=utf-8";

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private Http() {}

  /** The stage of work that is already done. */
  public static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  /** True when the request method is {@code HEAD}. */
  public static boolean isHead(Map<String, Object> env) {
    return OwinContext.of(env).method().equals("HEAD");
  }

  /**
   * The comma-separated tokens of every value of the request header {@code name} (compared ignoring
   * case), trimmed and without empty ones; empty when the header is absent.
   */
  public static List<String> requestHeaderTokens(Map<String, Object> env, String name) {
    List<String> tokens = new ArrayList<>();
    for (Map.Entry<String, String[]> header : OwinContext.of(env).requestHeaders().entrySet()) {
      if (header.getKey().equalsIgnoreCase(name)) {
        for (String value : header.getValue()) {
          for (String token : value.split(",")) {
            String trimmed = token.trim();
            if (!trimmed.isEmpty()) {
              tokens.add(trimmed);
            }
          }
        }
      }
    }
    return tokens;
  }

  /** The first value of the response header {@code name}, compared ignoring case, or null. */
  public static @Nullable String responseHeader(Map<String, Object> env, String name) {
    for (Map.Entry<String, String[]> header : OwinContext.of(env).responseHeaders().entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && header.getValue().length > 0) {
        return header.getValue()[0];
      }
    }
    return null;
  }

  /** Removes the response header {@code name}, compared ignoring case. */
  public static void removeResponseHeader(Map<String, Object> env, String name) {
    OwinContext.of(env).responseHeaders().keySet().removeIf(key -> key.equalsIgnoreCase(name));
  }

  /**
   * Adds {@code token} to the comma-separated response header {@code name} (such as {@code Vary})
   * unless it is already listed, compared ignoring case.
   */
  public static void addResponseHeaderToken(Map<String, Object> env, String name, String token) {
    String current = responseHeader(env, name);
    if (current == null) {
      OwinContext.of(env).setResponseHeader(name, token);
      return;
    }
    for (String listed : current.split(",")) {
      if (listed.trim().equalsIgnoreCase(token) || listed.trim().equals("*")) {
        return;
      }
    }
    OwinContext.of(env).setResponseHeader(name, current + ", " + token);
  }

  /**
   * Sends a complete response of {@code body} with a known length; a HEAD request gets the same
   * headers and no body. Blocks on the body stream.
   */
  public static CompletionStage<Void> send(
      Map<String, Object> env, int status, String contentType, byte[] body) throws IOException {
    OwinContext context = OwinContext.of(env);
    context.setStatusCode(status);
    context.setContentType(contentType);
    context.setResponseHeader("Content-Length", Integer.toString(body.length));
    if (!isHead(env)) {
      context.write(body);
    }
    return done();
  }

  /** Sends {@code text} as {@value #TEXT_PLAIN}; see {@link #send}. */
  public static CompletionStage<Void> text(Map<String, Object> env, int status, String text)
      throws IOException {
    return send(env, status, TEXT_PLAIN, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Formats {@code instant} as an HTTP date (IMF-fixdate), such as {@code Mon, 06 May 2024 ...}. */
  public static String formatDate(Instant instant) {
    return HTTP_DATE.format(instant);
  }

  /** Parses an HTTP date; null when {@code value} is null or not a date (RFC 9110 ignores it). */
  public static @Nullable Instant parseDate(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Escapes {@code text} for HTML element content and quoted attribute values. */
  public static String escapeHtml(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code METHOD pathBase+path} of the request, for log lines. */
  public static String describe(Map<String, Object> env) {
    return env.get(OwinKeys.REQUEST_METHOD)
        + " "
        + env.get(OwinKeys.REQUEST_PATH_BASE)
        + env.get(OwinKeys.REQUEST_PATH);
  }
}
