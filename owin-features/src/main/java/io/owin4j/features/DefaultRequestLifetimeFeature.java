package io.owin4j.features;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.features.RequestLifetimeFeature;
import java.util.Objects;

/**
 * A {@link RequestLifetimeFeature} over a {@link CancellationTokenSource} owned by the host.
 *
 * <p>{@link #abort()} cancels the source; the host closes the connection (or resets the stream)
 * from a callback it registered on the source's token, which also runs when the host itself cancels
 * because the client went away. Not thread-safe, except {@link #abort()}, which may be called from
 * any thread, and again harmlessly.
 */
public final class DefaultRequestLifetimeFeature implements RequestLifetimeFeature {
  private final CancellationTokenSource source;
  private CancellationToken requestAborted;

  /** Creates the feature; {@link #requestAborted()} is {@code source}'s token until replaced. */
  public DefaultRequestLifetimeFeature(CancellationTokenSource source) {
    this.source = Objects.requireNonNull(source, "source");
    this.requestAborted = source.token();
  }

  @Override
  public CancellationToken requestAborted() {
    return requestAborted;
  }

  @Override
  public void setRequestAborted(CancellationToken token) {
    this.requestAborted = Objects.requireNonNull(token, "token");
  }

  /**
   * {@inheritDoc}
   *
   * @throws RuntimeException the first failure of a cancellation callback, after all ran
   */
  @Override
  public void abort() {
    source.cancel();
  }

  @Override
  public String toString() {
    return "DefaultRequestLifetimeFeature{" + source + "}";
  }
}
