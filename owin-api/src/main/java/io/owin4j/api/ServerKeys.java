package io.owin4j.api;

/** The {@code server.*} environment keys: connection facts, callbacks and capabilities. */
public final class ServerKeys {
  private ServerKeys() {}

  /** {@code String}: the client's IP address. */
  public static final String REMOTE_IP_ADDRESS = "server.RemoteIpAddress";

  /** {@code String}: the client's port, in decimal. */
  public static final String REMOTE_PORT = "server.RemotePort";

  /** {@code String}: the local IP address the request arrived on. */
  public static final String LOCAL_IP_ADDRESS = "server.LocalIpAddress";

  /** {@code String}: the local port the request arrived on, in decimal. */
  public static final String LOCAL_PORT = "server.LocalPort";

  /** {@code Boolean}: true when the client is on this machine. */
  public static final String IS_LOCAL = "server.IsLocal";

  /** {@code String}: identifies the connection the request arrived on. */
  public static final String CONNECTION_ID = "server.ConnectionId";

  /** {@code java.security.Principal}: the authenticated user (the OWIN 1.0 name). */
  public static final String USER = "server.User";

  /**
   * {@link OnSendingHeaders}: registers a callback that runs just before the response headers are
   * sent; callbacks run last registered first.
   */
  public static final String ON_SENDING_HEADERS = "server.OnSendingHeaders";

  /**
   * {@code Map<String, Object>}: what the host offers; the same instance in every request, one
   * {@code X.Version} entry per extension.
   */
  public static final String CAPABILITIES = "server.Capabilities";
}
