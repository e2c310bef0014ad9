package io.owin4j.core.host;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP syntax every host and client checks and computes the same way: tokens, header values,
 * reason phrases, request targets, comma-separated header elements, and the WebSocket accept key.
 *
 * <p>Stateless and thread-safe; checks fail with {@link IllegalArgumentException} naming the subject,
 * the rule and what arrived.
 */
public final class HttpSyntax {
  private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final boolean[] TOKEN = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
      TOKEN[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN[c] = true;
    }
  }

  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(100, "Continue"),
          Map.entry(101, "Switching Protocols"),
          Map.entry(102, "Processing"),
          Map.entry(103, "Early Hints"),
          Map.entry(200, "OK"),
          Map.entry(201, "Created"),
          Map.entry(202, "Accepted"),
          Map.entry(203, "Non-Authoritative Information"),
          Map.entry(204, "No Content"),
          Map.entry(205, "Reset Content"),
          Map.entry(206, "Partial Content"),
          Map.entry(207, "Multi-Status"),
          Map.entry(208, "Already Reported"),
          Map.entry(226, "IM Used"),
          Map.entry(300, "Multiple Choices"),
          Map.entry(301, "Moved Permanently"),
          Map.entry(302, "Found"),
          Map.entry(303, "See Other"),
          Map.entry(304, "Not Modified"),
          Map.entry(305, "Use Proxy"),
          Map.entry(307, "Temporary Redirect"),
          Map.entry(308, "Permanent Redirect"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(402, "Payment Required"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(406, "Not Acceptable"),
          Map.entry(407, "Proxy Authentication Required"),
          Map.entry(408, "Request Time-out"),
          Map.entry(409, "Conflict"),
          Map.entry(410, "Gone"),
          Map.entry(411, "Length Required"),
          Map.entry(412, "Precondition Failed"),
          Map.entry(413, "Request Entity Too Large"),
          Map.entry(414, "Request-URI Too Large"),
          Map.entry(415, "Unsupported Media Type"),
          Map.entry(416, "Requested range not satisfiable"),
          Map.entry(417, "Expectation Failed"),
          Map.entry(418, "I'm a teapot"),
          Map.entry(421, "Misdirected Request"),
          Map.entry(422, "Unprocessable Entity"),
          Map.entry(423, "Locked"),
          Map.entry(424, "Failed Dependency"),
          Map.entry(425, "Too Early"),
          Map.entry(426, "Upgrade Required"),
          Map.entry(428, "Precondition Required"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(431, "Request Header Fields Too Large"),
          Map.entry(451, "Unavailable For Legal Reasons"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(501, "Not Implemented"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Gateway Time-out"),
          Map.entry(505, "HTTP Version not supported"),
          Map.entry(506, "Variant Also Negotiates"),
          Map.entry(507, "Insufficient Storage"),
          Map.entry(508, "Loop Detected"),
          Map.entry(510, "Not Extended"),
          Map.entry(511, "Network Authentication Required"));

  private HttpSyntax() {}

  /** The reason phrase a host sends for {@code status} when the application set none. */
  public static String reasonPhrase(int status) {
    return REASONS.getOrDefault(status, "Unknown");
  }

  /** True when {@code value} is an HTTP token (RFC 9110 section 5.6.2). */
  public static boolean isToken(String value) {
    boolean valid = !value.isEmpty();
    for (int i = 0; valid && i < value.length(); i++) {
      char c = value.charAt(i);
      valid = c < 128 && TOKEN[c];
    }
    return valid;
  }

  /**
   * Checks that {@code value} is an HTTP token.
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static String requireToken(String value, String what) {
    Objects.requireNonNull(value, what);
    if (!isToken(value)) {
      throw new IllegalArgumentException(
          what
              + " must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~), got "
              + quote(value));
    }
    return value;
  }

  /**
   * Checks that {@code name} may be sent as a response header name: a non-empty HTTP token.
   *
   * @throws IllegalArgumentException naming the header when it may not
   */
  public static void checkHeaderName(String name) {
    if (!isToken(name)) {
      throw new IllegalArgumentException(
          "response header name must be a non-empty HTTP token (letters, digits and"
              + " !#$%&'*+-.^_`|~), got "
              + quote(name));
    }
  }

  /**
   * Checks that {@code value} may be sent as the value of response header {@code name}: visible
   * ISO-8859-1 characters, spaces and tabs only.
   *
   * @throws IllegalArgumentException naming the header when it may not
   */
  public static void checkHeaderValue(String name, String value) {
    int bad = firstForbidden(value);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "response header "
              + quote(name)
              + " value must not contain CR, LF, other control characters or characters above"
              + " U+00FF, got "
              + quote(value)
              + " with "
              + describe(value.charAt(bad))
              + " at index "
              + bad);
    }
  }

  /**
   * Checks that {@code value} can be sent as a request header value: no line breaks or NUL.
   *
   * @throws IllegalArgumentException naming the header otherwise
   */
  public static String requireHeaderValue(String name, String value) {
    Objects.requireNonNull(value, "value");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException(
            "header " + name + " value must not contain CR, LF or NUL, got " + quote(value));
      }
    }
    return value;
  }

  /**
   * Checks that {@code reason} may be sent as the reason phrase.
   *
   * @throws IllegalArgumentException when it may not
   */
  public static void checkReasonPhrase(String reason) {
    int bad = firstForbidden(reason);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "owin.ResponseReasonPhrase must not contain CR, LF, other control characters or"
              + " characters above U+00FF, got "
              + quote(reason)
              + " with "
              + describe(reason.charAt(bad))
              + " at index "
              + bad);
    }
  }

  /**
   * Checks that {@code target} is a request target: starts with {@code /} and parses as the path
   * and query of a URI.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static String requireTarget(String target) {
    Objects.requireNonNull(target, "path");
    if (!target.startsWith("/") || target.startsWith("//") || target.indexOf('#') >= 0) {
      throw new IllegalArgumentException(
          "path must start with a single \"/\" and hold no fragment, got \"" + target + "\"");
    }
    try {
      URI.create("http://localhost" + target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "path must be percent-encoded, got \"" + target + "\": " + e.getMessage(), e);
    }
    return target;
  }

  /** Percent-decodes an encoded path (UTF-8; {@code +} stays a plus). */
  public static String decodePath(String rawPath) {
    return URI.create("http://localhost" + rawPath).getPath();
  }

  /** The charset a {@code Content-Type} value names, or UTF-8 when it names none or is null. */
  public static Charset charsetOf(@Nullable String contentType) {
    if (contentType != null) {
      for (String parameter : contentType.split(";")) {
        String trimmed = parameter.trim();
        if (trimmed.regionMatches(true, 0, "charset=", 0, 8)) {
          String name = trimmed.substring(8).trim();
          if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1);
          }
          return Charset.forName(name);
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  /** Splits a comma-separated header value into trimmed, non-empty elements. */
  public static List<String> elements(@Nullable String headerValue) {
    List<String> out = new ArrayList<>();
    if (headerValue != null) {
      for (String part : headerValue.split(",")) {
        String trimmed = part.trim();
        if (!trimmed.isEmpty()) {
          out.add(trimmed);
        }
      }
    }
    return out;
  }

  /** True when the comma-separated {@code headerValue} holds {@code element}, ignoring case. */
  public static boolean containsElement(@Nullable String headerValue, String element) {
    for (String part : elements(headerValue)) {
      if (part.toLowerCase(Locale.ROOT).equals(element.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /** The {@code Sec-WebSocket-Accept} answer to {@code key} (RFC 6455 section 4.2.2). */
  public static String webSocketAccept(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  /** Quotes {@code s} for an error message, escaping what would garble a log line. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static int firstForbidden(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
        return i;
      }
    }
    return -1;
  }

  private static String describe(char c) {
    return String.format("U+%04X", (int) c);
  }
}
