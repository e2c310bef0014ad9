package io.owin4j.core;

import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Fails a request that broke the OWIN contract, listing every violation {@link OwinLint} found.
 *
 * <p>When the application failed as well, its failure is the cause.
 */
public final class OwinLintException extends RuntimeException {
  private final List<LintViolation> violations;

  OwinLintException(List<LintViolation> violations, @Nullable Throwable cause) {
    super(message(violations), cause);
    this.violations = List.copyOf(violations);
  }

  /** Returns the violations, in the order they were found; never empty. */
  public List<LintViolation> violations() {
    return violations;
  }

  private static String message(List<LintViolation> violations) {
    return violations.size()
        + (violations.size() == 1 ? " OWIN violation:" : " OWIN violations:")
        + violations.stream().map(violation -> "\n  " + violation).collect(Collectors.joining());
  }
}
