package io.owin4j.core;

import java.util.Objects;

/**
 * One breach of the OWIN contract that {@link OwinLint} found.
 *
 * @param rule the rule broken, one of the {@code OwinLint} rule constants such as {@link
 *     OwinLint#REQUEST_REQUIRED_KEY}
 * @param message what was wrong, naming the key and showing the value
 */
public record LintViolation(String rule, String message) {
  /** Checks that neither part is null. */
  public LintViolation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return rule + ": " + message;
  }
}
