package io.owin4j.undertow.internal;

import io.owin4j.api.features.ConnectionFeature;
import io.undertow.server.HttpServerExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The addresses and identifier of the connection an exchange arrived on.
 *
 * <p>Addresses come from the exchange (so a proxy handler earlier in the chain that rewrote the
 * source address is honoured) when first asked for; a value set by middleware replaces it. Not
 * thread-safe, like every feature.
 */
final class ExchangeConnectionFeature implements ConnectionFeature {
  private final HttpServerExchange exchange;
  private final ConnectionState connection;
  private @Nullable String connectionId;
  private @Nullable String remoteIpAddress;
  private int remotePort = -1;
  private @Nullable String localIpAddress;
  private int localPort = -1;
  private @Nullable Boolean local;

  ExchangeConnectionFeature(HttpServerExchange exchange, ConnectionState connection) {
    this.exchange = exchange;
    this.connection = connection;
  }

  @Override
  public String connectionId() {
    String id = connectionId;
    return id != null ? id : connection.id();
  }

  @Override
  public void setConnectionId(String connectionId) {
    this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
  }

  @Override
  public String remoteIpAddress() {
    String a = remoteIpAddress;
    return a != null ? a : (remoteIpAddress = ipOf(exchange.getSourceAddress()));
  }

  @Override
  public void setRemoteIpAddress(String remoteIpAddress) {
    this.remoteIpAddress = Objects.requireNonNull(remoteIpAddress, "remoteIpAddress");
  }

  @Override
  public int remotePort() {
    int p = remotePort;
    return p >= 0 ? p : (remotePort = exchange.getSourceAddress().getPort());
  }

  @Override
  public void setRemotePort(int remotePort) {
    this.remotePort = checkPort(remotePort, "remotePort");
  }

  @Override
  public String localIpAddress() {
    String a = localIpAddress;
    return a != null ? a : (localIpAddress = ipOf(exchange.getDestinationAddress()));
  }

  @Override
  public void setLocalIpAddress(String localIpAddress) {
    this.localIpAddress = Objects.requireNonNull(localIpAddress, "localIpAddress");
  }

  @Override
  public int localPort() {
    int p = localPort;
    return p >= 0 ? p : (localPort = exchange.getDestinationAddress().getPort());
  }

  @Override
  public void setLocalPort(int localPort) {
    this.localPort = checkPort(localPort, "localPort");
  }

  @Override
  public boolean isLocal() {
    Boolean l = local;
    if (l == null) {
      InetAddress remote = exchange.getSourceAddress().getAddress();
      l =
          remote != null
              && (remote.isLoopbackAddress()
                  || remote.equals(exchange.getDestinationAddress().getAddress()));
      local = l;
    }
    return l;
  }

  @Override
  public void setLocal(boolean local) {
    this.local = local;
  }

  private static String ipOf(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    return ip != null ? ip.getHostAddress() : address.getHostString();
  }

  private static int checkPort(int port, String name) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be in [0, 65535], got " + port);
    }
    return port;
  }

  @Override
  public String toString() {
    return "ExchangeConnectionFeature{" + connectionId() + "}";
  }
}
