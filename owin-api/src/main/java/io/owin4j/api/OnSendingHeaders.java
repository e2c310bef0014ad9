package io.owin4j.api;

import java.util.function.Consumer;

/**
 * The {@code server.OnSendingHeaders} delegate: registers a last chance to change the status and
 * headers before the host sends them.
 *
 * <p>Callbacks run exactly once, on the thread that starts the response (first write, flush,
 * sendfile or completion), last registered first. A callback that throws fails the operation that
 * started the response.
 *
 * @see io.owin4j.api.features.ResponseFeature#onStarting(Runnable)
 */
@FunctionalInterface
public interface OnSendingHeaders {
  /**
   * Registers {@code callback} to run with {@code state} just before the headers are sent.
   *
   * @throws IllegalStateException if the headers were already sent
   */
  void register(Consumer<Object> callback, Object state);
}
