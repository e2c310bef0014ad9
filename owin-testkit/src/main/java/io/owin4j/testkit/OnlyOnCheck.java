package io.owin4j.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Fails a test marked {@link OnlyOn} in a class without {@link OwinHostTest}: there the mark could
 * not skip anything, and the test would pass in a mode it was never meant for.
 */
final class OnlyOnCheck implements ExecutionCondition {
  OnlyOnCheck() {}

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (!AnnotationSupport.isAnnotated(context.getTestClass(), OwinHostTest.class)) {
      throw new ExtensionConfigurationException(
          "@OnlyOn on "
              + context.getElement().map(Object::toString).orElse(context.getDisplayName())
              + " needs @OwinHostTest on its test class, which runs it once per mode");
    }
    return ConditionEvaluationResult.enabled("@OwinHostTest decides per mode");
  }
}
