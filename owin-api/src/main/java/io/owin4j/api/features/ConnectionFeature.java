package io.owin4j.api.features;

/** Facts about the connection a request arrived on ({@code server.*} keys). */
public interface ConnectionFeature {
  /** Identifies the connection. */
  String connectionId();

  /** Sets the connection identifier. */
  void setConnectionId(String connectionId);

  /** The client's IP address. */
  String remoteIpAddress();

  /** Sets the client's IP address (for example from a trusted proxy header). */
  void setRemoteIpAddress(String remoteIpAddress);

  /** The client's port. */
  int remotePort();

  /** Sets the client's port. */
  void setRemotePort(int remotePort);

  /** The local IP address. */
  String localIpAddress();

  /** Sets the local IP address. */
  void setLocalIpAddress(String localIpAddress);

  /** The local port. */
  int localPort();

  /** Sets the local port. */
  void setLocalPort(int localPort);

  /** True when the client is on this machine. */
  boolean isLocal();

  /** Sets whether the client is local. */
  void setLocal(boolean local);
}
