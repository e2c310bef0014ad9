package io.owin4j.core;

import io.owin4j.features.CancellationTokenSource;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * One upgraded connection on a typed host, seen by a delegate-level callback: the environment the
 * callback gets, and what happens when its stage completes.
 *
 * <p>{@link PendingUpgrade} drives every session the same way: it invokes the callback with {@link
 * #environment()}, calls {@link #finish} once the callback's stage completed, then cancels {@link
 * #connectionLost} because the host closes the connection when the returned stage completes.
 */
abstract class UpgradeSession {
  /** The environment's {@code websocket.CallCancelled} or {@code opaque.CallCancelled}. */
  final CancellationTokenSource connectionLost = new CancellationTokenSource();

  /** The environment handed to the callback; built once. */
  abstract Map<String, Object> environment();

  /**
   * Ends the session after the callback's stage completed.
   *
   * @param callbackFailure the callback's failure, or null when it succeeded
   * @return completes when the session is finished; fails when the callback failed
   */
  abstract CompletionStage<Void> finish(@Nullable Throwable callbackFailure);
}
