package io.owin4j.undertow.internal;

import org.jspecify.annotations.Nullable;

/**
 * A connection an upgrade took over (a WebSocket or an opaque stream), which the host ends once the
 * application that uses it is done.
 */
interface UpgradedConnection {
  /**
   * The application's stage completed: ends the connection as its protocol requires. May be called
   * on any thread, once.
   *
   * @param failure the application's failure, or null when it succeeded
   */
  void applicationCompleted(@Nullable Throwable failure);
}
