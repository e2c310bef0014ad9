package io.owin4j.core;

import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.ext.OpaqueStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * An opaque upgrade on a typed host, presented to a delegate-level callback.
 *
 * <p>The stream is handed over unwrapped so that the host's non-blocking stream interfaces stay
 * discoverable. The price: the bridge cannot see a lost connection, so {@code opaque.CallCancelled}
 * fires only when the callback's stage completed and the host is about to close the connection; the
 * callback sees a lost connection earlier as an {@link java.io.IOException} from the stream.
 */
final class OpaqueSession extends UpgradeSession {
  private final Map<String, Object> environment = new HashMap<>(4);

  OpaqueSession(OpaqueStream stream) {
    environment.put(OpaqueKeys.STREAM, stream);
    environment.put(OpaqueKeys.VERSION, OpaqueKeys.VERSION_VALUE);
    environment.put(OpaqueKeys.CALL_CANCELLED, connectionLost.token());
  }

  @Override
  Map<String, Object> environment() {
    return environment;
  }

  @Override
  CompletionStage<Void> finish(@Nullable Throwable callbackFailure) {
    return callbackFailure == null
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(callbackFailure);
  }
}
