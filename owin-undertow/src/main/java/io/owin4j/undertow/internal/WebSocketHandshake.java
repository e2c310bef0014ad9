package io.owin4j.undertow.internal;

import io.owin4j.undertow.WebSocketCompression;
import io.owin4j.undertow.internal.deflate.PerMessageDeflate;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A valid RFC 6455 opening handshake, read from a request: what the client offered and the answer
 * the server gives.
 *
 * <p>{@link #of} accepts exactly the requests RFC 6455 section 4.2.1 describes: {@code GET} over
 * HTTP/1.1, an {@code Upgrade} header naming {@code websocket}, a {@code Connection} header naming
 * {@code upgrade}, a {@code Sec-WebSocket-Key} that is the base64 form of 16 bytes, and {@code
 * Sec-WebSocket-Version: 13}. Anything else is an ordinary request.
 *
 * <p>{@link #negotiateDeflate} answers a {@code permessage-deflate} offer (RFC 7692) through
 * {@link PerMessageDeflate}.
 */
final class WebSocketHandshake {
  /** RFC 6455 section 1.3: appended to the key before hashing. */
  private static final String KEY_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private static final int KEY_BYTES = 16;
  private static final String VERSION = "13";

  private final String key;
  private final List<String> offeredSubProtocols;
  private final @Nullable String offeredExtensions;

  private WebSocketHandshake(
      String key, List<String> offeredSubProtocols, @Nullable String offeredExtensions) {
    this.key = key;
    this.offeredSubProtocols = offeredSubProtocols;
    this.offeredExtensions = offeredExtensions;
  }

  /** The handshake {@code exchange} asks for, or null when it is no valid WebSocket handshake. */
  static @Nullable WebSocketHandshake of(HttpServerExchange exchange) {
    HeaderMap headers = exchange.getRequestHeaders();
    HeaderValues upgrade = headers.get(Headers.UPGRADE);
    if (upgrade == null
        || !exchange.getRequestMethod().equals(Methods.GET)
        || !exchange.getProtocol().equals(Protocols.HTTP_1_1)
        || !hasToken(upgrade, "websocket")
        || !hasToken(headers.get(Headers.CONNECTION), "upgrade")
        || !VERSION.equals(single(headers, Headers.SEC_WEB_SOCKET_VERSION))) {
      return null;
    }
    String key = single(headers, Headers.SEC_WEB_SOCKET_KEY);
    if (key == null || !isNonce(key)) {
      return null;
    }
    return new WebSocketHandshake(
        key,
        tokens(headers.get(Headers.SEC_WEB_SOCKET_PROTOCOL)),
        joined(headers.get(Headers.SEC_WEB_SOCKET_EXTENSIONS)));
  }

  /** The subprotocols the client offered, in its order of preference. */
  List<String> offeredSubProtocols() {
    return offeredSubProtocols;
  }

  /** The {@code Sec-WebSocket-Accept} answer to the client's key. */
  String acceptKey() {
    return acceptKey(key);
  }

  /** The {@code Sec-WebSocket-Accept} answer to {@code key}: base64 of SHA-1 of key and GUID. */
  static String acceptKey(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key + KEY_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK must provide SHA-1, and this one does not", e);
    }
  }

  /**
   * The {@code permessage-deflate} the host agrees to under {@code compression}, or null when the
   * client offered none that fits or compression is off (see {@link PerMessageDeflate}).
   */
  @Nullable PerMessageDeflate negotiateDeflate(WebSocketCompression compression) {
    return PerMessageDeflate.negotiate(offeredExtensions, compression);
  }

  private static boolean isNonce(String key) {
    try {
      return Base64.getDecoder().decode(key).length == KEY_BYTES;
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  private static @Nullable String single(HeaderMap headers, HttpString name) {
    HeaderValues values = headers.get(name);
    return values == null || values.size() != 1 ? null : values.getFirst().trim();
  }

  private static @Nullable String joined(@Nullable HeaderValues values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  /** True when a comma-separated token of {@code values} is {@code token}, ignoring case. */
  static boolean hasToken(@Nullable HeaderValues values, String token) {
    for (String each : tokens(values)) {
      if (each.toLowerCase(Locale.ROOT).equals(token)) {
        return true;
      }
    }
    return false;
  }

  /** The comma-separated tokens of every value, trimmed, empty ones dropped. */
  static List<String> tokens(@Nullable HeaderValues values) {
    if (values == null) {
      return List.of();
    }
    List<String> tokens = new ArrayList<>(2);
    for (String value : values) {
      for (String token : value.split(",")) {
        String trimmed = token.trim();
        if (!trimmed.isEmpty()) {
          tokens.add(trimmed);
        }
      }
    }
    return List.copyOf(tokens);
  }

  @Override
  public String toString() {
    return "WebSocketHandshake{subprotocols=" + offeredSubProtocols + "}";
  }
}
