package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Fails every request by throwing, before anything is written, to show what {@link io.owin4j.middleware.errors.ErrorHandling}
 * turns a failure into.
 */
public final class Boom implements AppFunc {
  /** Creates the endpoint; it holds no state. */
  public Boom() {}

  /**
   * Throws.
   *
   * @throws IllegalStateException always
   */
  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) {
    throw new IllegalStateException("boom: this route fails on purpose to show the error handling");
  }
}
