package io.owin4j.testkit.internal;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinLint;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds the application a test host runs: the test's own, behind the testkit's middleware. */
final class Pipelines {
  private Pipelines() {}

  /**
   * Builds the application from {@code settings} over the startup {@code properties}.
   *
   * @param outermost middleware the host itself needs around everything, or null
   */
  static AppFunc build(
      Map<String, Object> properties, HostSettings settings, @Nullable MidFunc outermost) {
    AppBuilder builder = AppBuilder.create(properties);
    if (outermost != null) {
      builder.use(outermost);
    }
    if (settings.lint()) {
      builder.use(OwinLint.middleware());
    }
    settings.configuration().accept(builder);
    return builder.build();
  }
}
