package io.owin4j.testkit.internal;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The bits of HTTP syntax the clients check and compute. */
public final class HttpSyntax {
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
  private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private HttpSyntax() {}

  /**
   * Checks that {@code value} is an HTTP token (RFC 9110, 5.6.2).
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static String requireToken(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(what + " must be an HTTP token, got \"\"");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || TOKEN_SYMBOLS.indexOf(c) >= 0;
      if (!ok) {
        throw new IllegalArgumentException(
            what + " must be an HTTP token, got \"" + value + "\" with '" + c + "' at " + i);
      }
    }
    return value;
  }

  /**
   * Checks that {@code value} can be sent as a header value: no line breaks or NUL.
   *
   * @throws IllegalArgumentException naming the header otherwise
   */
  public static String requireHeaderValue(String name, String value) {
    Objects.requireNonNull(value, "value");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException(
            "header " + name + " value must not contain CR, LF or NUL, got \"" + value + "\"");
      }
    }
    return value;
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

  /** The {@code Sec-WebSocket-Accept} answer to {@code key} (RFC 6455, 4.2.2). */
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
}
