package io.owin4j.testkit.internal;

import io.owin4j.api.MidFunc;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinLint;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Configures the application a test host runs: the test's own, behind the testkit's middleware. */
final class Pipelines {
  private Pipelines() {}

  /**
   * Returns the configuration a host applies to its {@link AppBuilder}: {@code outermost} first
   * when given, then {@link OwinLint} when the settings ask for it, then the test's configuration.
   */
  static Consumer<AppBuilder> configuration(HostSettings settings, @Nullable MidFunc outermost) {
    return builder -> {
      if (outermost != null) {
        builder.use(outermost);
      }
      if (settings.lint()) {
        builder.use(OwinLint.middleware());
      }
      settings.configuration().accept(builder);
    };
  }
}
