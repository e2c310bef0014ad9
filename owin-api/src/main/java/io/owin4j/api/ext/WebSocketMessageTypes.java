package io.owin4j.api.ext;

/** The WebSocket message types: RFC 6455 opcodes, as the OWIN WebSocket extension uses them. */
public final class WebSocketMessageTypes {
  private WebSocketMessageTypes() {}

  /** A UTF-8 text message. */
  public static final int TEXT = 0x1;

  /** A binary message. */
  public static final int BINARY = 0x2;

  /** A close frame. */
  public static final int CLOSE = 0x8;

  /** A ping; hosts answer pings themselves and never deliver them. */
  public static final int PING = 0x9;

  /** A pong; never delivered. */
  public static final int PONG = 0xA;

  /** Returns a readable name for {@code messageType}, such as {@code "TEXT (0x1)"}. */
  public static String describe(int messageType) {
    String name =
        switch (messageType) {
          case TEXT -> "TEXT";
          case BINARY -> "BINARY";
          case CLOSE -> "CLOSE";
          case PING -> "PING";
          case PONG -> "PONG";
          default -> "UNKNOWN";
        };
    return name + " (0x" + Integer.toHexString(messageType) + ")";
  }
}
