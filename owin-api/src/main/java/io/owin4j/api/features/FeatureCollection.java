package io.owin4j.api.features;

import io.owin4j.api.FeatureKeys;
import java.util.Map;
import java.util.Objects;
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
 *
 * <h2>From an environment</h2>
 *
 * Middleware that depends on owin-api alone reaches the features of its request with {@link
 * #fromEnvironment}, which reads {@link FeatureKeys#FEATURES owin4j.Features}. Every Owin4J host
 * sets that key; a host that speaks only the OWIN dictionary does not, and then the answer is null
 * and the middleware uses the OWIN keys.
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

  /**
   * Returns the typed features an environment shows under {@link FeatureKeys#FEATURES
   * owin4j.Features}, or null when it has none (a host that speaks only the OWIN dictionary).
   *
   * <p>Reading the key has no side effect; the answer is the same collection for the whole request.
   *
   * @throws IllegalArgumentException if the key holds something other than a feature collection
   */
  static @Nullable FeatureCollection fromEnvironment(Map<String, ?> environment) {
    Object value = Objects.requireNonNull(environment, "environment").get(FeatureKeys.FEATURES);
    if (value == null || value instanceof FeatureCollection) {
      return (FeatureCollection) value;
    }
    throw new IllegalArgumentException(
        FeatureKeys.FEATURES
            + " must be a FeatureCollection, got "
            + value.getClass().getSimpleName()
            + (value instanceof String ? " \"" + value + "\"" : " " + value));
  }
}
