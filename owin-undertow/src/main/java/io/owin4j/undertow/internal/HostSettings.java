package io.owin4j.undertow.internal;

import io.owin4j.api.AppFunc;
import io.owin4j.features.ServerCapabilities;
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
 * @param capabilities the {@code server.Capabilities} of every request, one shared instance
 */
public record HostSettings(
    AppFunc app,
    boolean ioThread,
    @Nullable Executor executor,
    int responseBufferSize,
    ServerCapabilities capabilities) {

  /** Settings offering no extension yet. */
  public HostSettings(
      AppFunc app, boolean ioThread, @Nullable Executor executor, int responseBufferSize) {
    this(app, ioThread, executor, responseBufferSize, new ServerCapabilities(Map.of()));
  }

  @Override
  public String toString() {
    return "app="
        + app
        + ", dispatch="
        + (ioThread ? "IO_THREAD" : "WORKER")
        + (executor == null ? "" : ", executor=" + executor)
        + ", responseBufferSize="
        + responseBufferSize;
  }
}
