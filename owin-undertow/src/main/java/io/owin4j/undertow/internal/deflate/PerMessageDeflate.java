package io.owin4j.undertow.internal.deflate;

import io.owin4j.undertow.WebSocketCompression;
import io.undertow.websockets.WebSocketExtension;
import io.undertow.websockets.extensions.ExtensionFunction;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A {@code permessage-deflate} (RFC 7692) the server agreed to: the answer to the client's offer and
 * the extension function that implements it on the connection.
 *
 * <p>{@link #negotiate} takes the first offer the host can honour, in the client's order:
 *
 * <ul>
 *   <li>An offer with an unknown parameter, a parameter twice or a value out of range is declined
 *       (section 7 requires it).
 *   <li>{@code server_max_window_bits} below 15 is declined: the JDK's deflater has a 32 KiB window
 *       only. 15 is accepted and echoed.
 *   <li>{@code client_max_window_bits} is left unanswered, so the client keeps the 32 KiB window the
 *       inflater accepts anyway.
 *   <li>Without context takeover in the settings, the answer carries {@code
 *       server_no_context_takeover} and {@code client_no_context_takeover} whatever the client
 *       offered (sections 7.1.1.1 and 7.1.1.2 let a server add both), so no connection keeps zlib
 *       state between messages. With it, each is answered only when the client asked for it.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class PerMessageDeflate {
  private static final String NAME = "permessage-deflate";
  private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
  private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
  private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
  private static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";
  private static final int JDK_WINDOW_BITS = 15;

  private final WebSocketCompression settings;
  private final boolean serverTakeover;
  private final boolean clientTakeover;
  private final String responseHeader;

  private PerMessageDeflate(
      WebSocketCompression settings,
      boolean serverTakeover,
      boolean clientTakeover,
      boolean echoServerWindow) {
    this.settings = settings;
    this.serverTakeover = serverTakeover;
    this.clientTakeover = clientTakeover;
    StringBuilder header = new StringBuilder(NAME);
    if (!serverTakeover) {
      header.append("; ").append(SERVER_NO_CONTEXT_TAKEOVER);
    }
    if (!clientTakeover) {
      header.append("; ").append(CLIENT_NO_CONTEXT_TAKEOVER);
    }
    if (echoServerWindow) {
      header.append("; ").append(SERVER_MAX_WINDOW_BITS).append('=').append(JDK_WINDOW_BITS);
    }
    this.responseHeader = header.toString();
  }

  /**
   * The agreement on the first offer of {@code offers} (the client's {@code
   * Sec-WebSocket-Extensions}, its lines joined with commas) the host can honour, or null when
   * compression is off, nothing was offered or no offer fits.
   */
  public static @Nullable PerMessageDeflate negotiate(
      @Nullable String offers, WebSocketCompression settings) {
    if (offers == null || !settings.enabled()) {
      return null;
    }
    List<WebSocketExtension> parsed;
    try {
      parsed = WebSocketExtension.parse(offers);
    } catch (RuntimeException malformed) {
      return null;
    }
    for (WebSocketExtension offer : parsed) {
      if (NAME.equals(offer.getName())) {
        PerMessageDeflate agreed = accept(offer, settings);
        if (agreed != null) {
          return agreed;
        }
      }
    }
    return null;
  }

  private static @Nullable PerMessageDeflate accept(
      WebSocketExtension offer, WebSocketCompression settings) {
    Set<String> seen = new HashSet<>();
    boolean serverNoTakeover = false;
    boolean clientNoTakeover = false;
    boolean serverWindow = false;
    for (WebSocketExtension.Parameter parameter : offer.getParameters()) {
      String name = parameter.getName();
      String value = unquoted(parameter.getValue());
      if (!seen.add(name)) {
        return null;
      }
      switch (name) {
        case SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER -> {
          if (value != null) {
            return null;
          }
          serverNoTakeover |= name.equals(SERVER_NO_CONTEXT_TAKEOVER);
          clientNoTakeover |= name.equals(CLIENT_NO_CONTEXT_TAKEOVER);
        }
        case SERVER_MAX_WINDOW_BITS -> {
          if (value == null || windowBits(value) != JDK_WINDOW_BITS) {
            return null;
          }
          serverWindow = true;
        }
        case CLIENT_MAX_WINDOW_BITS -> {
          if (value != null && windowBits(value) < 0) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    boolean takeover = settings.contextTakeover();
    return new PerMessageDeflate(
        settings, takeover && !serverNoTakeover, takeover && !clientNoTakeover, serverWindow);
  }

  /** The window bits {@code value} names, or -1 unless it is an integer in [8, 15]. */
  private static int windowBits(String value) {
    if (value.isEmpty() || value.length() > 2) {
      return -1;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return -1;
      }
    }
    int bits = Integer.parseInt(value);
    return bits >= 8 && bits <= 15 ? bits : -1;
  }

  private static @Nullable String unquoted(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
      return trimmed.substring(1, trimmed.length() - 1);
    }
    return trimmed;
  }

  /** The {@code Sec-WebSocket-Extensions} value that answers the offer. */
  public String responseHeader() {
    return responseHeader;
  }

  /**
   * A new extension function for one connection of this agreement.
   *
   * @param maxMessageSize the largest inflated message the connection's reader accepts: inflation
   *     stops one byte past it
   */
  public ExtensionFunction newFunction(long maxMessageSize) {
    return new DeflateFunction(
        settings.level(), settings.threshold(), serverTakeover, clientTakeover, maxMessageSize);
  }

  @Override
  public String toString() {
    return "PerMessageDeflate{" + responseHeader + ", " + settings + "}";
  }
}
