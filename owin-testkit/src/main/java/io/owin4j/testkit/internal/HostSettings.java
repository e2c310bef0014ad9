package io.owin4j.testkit.internal;

import io.owin4j.core.AppBuilder;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a test host runs and how: the same for every mode.
 *
 * @param configuration configures the application on the host's builder
 * @param lint whether {@code OwinLint} checks every request
 * @param propagateExceptions whether the application's failures reach the test instead of a 500
 * @param bufferSize how many bytes of a body may wait in memory for the reader
 * @param maxRequestBodySize the largest request body the host accepts
 */
public record HostSettings(
    Consumer<AppBuilder> configuration,
    boolean lint,
    boolean propagateExceptions,
    int bufferSize,
    long maxRequestBodySize) {
  /** Checks the parts. */
  public HostSettings {
    Objects.requireNonNull(configuration, "configuration");
    if (bufferSize <= 0) {
      throw new IllegalArgumentException("bufferSize must be positive, got " + bufferSize);
    }
    if (maxRequestBodySize <= 0) {
      throw new IllegalArgumentException(
          "maxRequestBodySize must be positive, got " + maxRequestBodySize);
    }
  }
}
