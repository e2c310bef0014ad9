package io.owin4j.api;

/**
 * The keys of the WebSocket extension v0.4.0, in the request environment ({@link #ACCEPT}), in the
 * accept parameters ({@link #SUB_PROTOCOL}) and in the WebSocket environment (the rest).
 */
public final class WebSocketKeys {
  private WebSocketKeys() {}

  /** {@code io.owin4j.api.ext.WebSocketAccept}: present only on WebSocket handshake requests. */
  public static final String ACCEPT = "websocket.Accept";

  /** {@code String}: the extension version, {@value #VERSION_VALUE}; also a capability. */
  public static final String VERSION = "websocket.Version";

  /** The value of {@link #VERSION}. */
  public static final String VERSION_VALUE = "1.0";

  /** {@code io.owin4j.api.ext.WebSocketSendAsync}. */
  public static final String SEND_ASYNC = "websocket.SendAsync";

  /** {@code io.owin4j.api.ext.WebSocketReceiveAsync}. */
  public static final String RECEIVE_ASYNC = "websocket.ReceiveAsync";

  /** {@code io.owin4j.api.ext.WebSocketCloseAsync}. */
  public static final String CLOSE_ASYNC = "websocket.CloseAsync";

  /** {@link CancellationToken}: fires when the WebSocket connection goes away. */
  public static final String CALL_CANCELLED = "websocket.CallCancelled";

  /** {@code Integer}, optional: the status of the close frame the client sent. */
  public static final String CLIENT_CLOSE_STATUS = "websocket.ClientCloseStatus";

  /** {@code String}, optional: the reason of the close frame the client sent. */
  public static final String CLIENT_CLOSE_DESCRIPTION = "websocket.ClientCloseDescription";

  /** {@code String}: the chosen subprotocol, in accept parameters and the WebSocket environment. */
  public static final String SUB_PROTOCOL = "websocket.SubProtocol";
}
