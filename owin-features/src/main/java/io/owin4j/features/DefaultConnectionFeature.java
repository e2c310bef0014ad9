package io.owin4j.features;

import io.owin4j.api.features.ConnectionFeature;
import java.util.Objects;

/**
 * A {@link ConnectionFeature} held in fields, for hosts to fill from their native connection.
 *
 * <p>Until set: empty strings, ports 0, not local. Ports must be in [0, 65535]. Not thread-safe.
 */
public final class DefaultConnectionFeature implements ConnectionFeature {
  private String connectionId = "";
  private String remoteIpAddress = "";
  private int remotePort;
  private String localIpAddress = "";
  private int localPort;
  private boolean local;

  /** Creates a connection with the defaults above. */
  public DefaultConnectionFeature() {}

  @Override
  public String connectionId() {
    return connectionId;
  }

  @Override
  public void setConnectionId(String connectionId) {
    this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
  }

  @Override
  public String remoteIpAddress() {
    return remoteIpAddress;
  }

  @Override
  public void setRemoteIpAddress(String remoteIpAddress) {
    this.remoteIpAddress = Objects.requireNonNull(remoteIpAddress, "remoteIpAddress");
  }

  @Override
  public int remotePort() {
    return remotePort;
  }

  @Override
  public void setRemotePort(int remotePort) {
    this.remotePort = checkPort("remote port", remotePort);
  }

  @Override
  public String localIpAddress() {
    return localIpAddress;
  }

  @Override
  public void setLocalIpAddress(String localIpAddress) {
    this.localIpAddress = Objects.requireNonNull(localIpAddress, "localIpAddress");
  }

  @Override
  public int localPort() {
    return localPort;
  }

  @Override
  public void setLocalPort(int localPort) {
    this.localPort = checkPort("local port", localPort);
  }

  @Override
  public boolean isLocal() {
    return local;
  }

  @Override
  public void setLocal(boolean local) {
    this.local = local;
  }

  private static int checkPort(String what, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " must be in [0, 65535], got " + port);
    }
    return port;
  }

  @Override
  public String toString() {
    return "DefaultConnectionFeature{" + connectionId + ", " + remoteIpAddress + ":" + remotePort
        + " -> " + localIpAddress + ":" + localPort + "}";
  }
}
