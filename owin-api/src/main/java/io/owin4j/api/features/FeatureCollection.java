package io.owin4j.api.features;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The typed features of one request, keyed by their interface.
 *
 * <p>{@link #get} answers null when a feature is absent; {@link #require} fails naming it. Setting
 * null removes a feature. {@link #revision()} changes on every set, so per-request caches of
 * features can refetch only when it moves. Iteration lists each present feature once.
 *
 * <h2>Threading</h2>
 *
 * Not thread-safe: a request's features are used by one thread at a time (the completion of a stage
 * hands them on).
 */
public interface FeatureCollection extends Iterable<Map.Entry<Class<?>, Object>> {
  /** Returns the feature registered under {@code type}, or null when there is none. */
  <T> @Nullable T get(Class<T> type);

  /**
   * Registers {@code feature} under {@code type}, replacing any; null removes it.
   *
   * @throws IllegalArgumentException if {@code feature} is not an instance of {@code type}
   * @throws UnsupportedOperationException if the collection is read-only
   */
  <T> void set(Class<T> type, @Nullable T feature);

  /** A number that changes whenever a feature is set or removed. */
  long revision();

  /**
   * Returns the feature registered under {@code type}.
   *
   * @throws IllegalStateException naming the feature when it is absent
   */
  default <T> T require(Class<T> type) {
    T feature = get(type);
    if (feature == null) {
      throw new IllegalStateException(
          "feature " + type.getSimpleName() + " is not available in this request");
    }
    return feature;
  }
}
