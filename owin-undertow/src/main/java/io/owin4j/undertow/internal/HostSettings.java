package io.owin4j.undertow.internal;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.features.ServerCapabilities;
import io.owin4j.undertow.WebSocketCompression;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What every request of one handler shares.
 *
 * @param app the application
 * @param ioThread true to invoke the application on the IO thread, false for the worker executor
 * @param executor the worker executor; null for the connection's Undertow worker
 * @param responseBufferSize how many body bytes collect before they go to the network
 * @param webSocketCompression how permessage-deflate is negotiated when a client offers it
 * @param webSocketMaxMessageSize the largest WebSocket message a receive accepts, in bytes
 * @param capabilities the {@code server.Capabilities} of every request, one shared instance
 * @param webSockets the open WebSockets, for a stopping server to close
 */
public record HostSettings(
    AppFunc app,
    boolean ioThread,
    @Nullable Executor executor,
    int responseBufferSize,
    WebSocketCompression webSocketCompression,
    long webSocketMaxMessageSize,
    ServerCapabilities capabilities,
    WebSocketRegistry webSockets) {

  /** What this host offers every request: WebSocket, sendfile and opaque upgrades. */
  private static final ServerCapabilities CAPABILITIES =
      new ServerCapabilities(
          Map.of(
              WebSocketKeys.VERSION, WebSocketKeys.VERSION_VALUE,
              SendFileKeys.VERSION, SendFileKeys.VERSION_VALUE,
              OpaqueKeys.VERSION, OpaqueKeys.VERSION_VALUE));

  /** Settings with this host's capabilities. */
  public HostSettings(
      AppFunc app,
      boolean ioThread,
      @Nullable Executor executor,
      int responseBufferSize,
      WebSocketCompression webSocketCompression,
      long webSocketMaxMessageSize) {
    this(
        app,
        ioThread,
        executor,
        responseBufferSize,
        webSocketCompression,
        webSocketMaxMessageSize,
        CAPABILITIES,
        new WebSocketRegistry());
  }

  @Override
  public String toString() {
    return "app="
        + app
        + ", dispatch="
        + (ioThread ? "IO_THREAD" : "WORKER")
        + (executor == null ? "" : ", executor=" + executor)
        + ", responseBufferSize="
        + responseBufferSize
        + ", webSocketCompression="
        + webSocketCompression
        + ", webSocketMaxMessageSize="
        + webSocketMaxMessageSize;
  }
}
