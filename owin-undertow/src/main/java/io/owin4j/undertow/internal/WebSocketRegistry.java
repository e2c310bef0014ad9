package io.owin4j.undertow.internal;

import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open WebSockets of one handler, so that a stopping server can say goodbye to each of them
 * with a close frame (1001, going away) and wait for the close handshakes, instead of cutting the
 * connections (which the peers would see as 1006).
 *
 * <p>A channel leaves the registry when it closes; waiting for the close handshakes is {@link
 * ServerLimits#awaitUpgradesClosed}'s business, which also sees connections still between their
 * 101 and their WebSocket. Thread-safe.
 */
public final class WebSocketRegistry {
  /** The close status a stopping server sends: the endpoint is going away (RFC 6455, 7.4.1). */
  public static final int GOING_AWAY = 1001;

  private final Set<WebSocketChannel> open = ConcurrentHashMap.newKeySet();
  // Set once the server stops: a WebSocket that opens after that is closed at once.
  private volatile int closeCode;
  private volatile String closeReason = "";

  /** Keeps {@code channel} until it closes. */
  void register(WebSocketChannel channel) {
    open.add(channel);
    channel.addCloseTask(closed -> open.remove(closed));
    if (!channel.isOpen()) {
      open.remove(channel);
    } else if (closeCode != 0) {
      int code = closeCode;
      String reason = closeReason;
      channel.getIoThread().execute(() -> sendClose(channel, code, reason));
    }
  }

  /** How many WebSockets are open now. */
  public int size() {
    return open.size();
  }

  /**
   * Sends a close frame with {@code code} and {@code reason} on every open WebSocket, and on every
   * one that opens from now on.
   */
  public void closeAll(int code, String reason) {
    closeReason = reason;
    closeCode = code;
    for (WebSocketChannel channel : open) {
      channel.getIoThread().execute(() -> sendClose(channel, code, reason));
    }
  }

  private static void sendClose(WebSocketChannel channel, int code, String reason) {
    if (channel.isOpen() && !channel.isCloseFrameSent()) {
      WebSockets.sendClose(code, reason, channel, null);
    }
  }

  @Override
  public String toString() {
    return "WebSocketRegistry{" + open.size() + " open}";
  }
}
