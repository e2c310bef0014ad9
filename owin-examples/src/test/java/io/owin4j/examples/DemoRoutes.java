package io.owin4j.examples;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.HostKeys;
import io.owin4j.core.AppBuilder;
import io.owin4j.testkit.TestApplication;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/** The application the route tests run: the demo pipeline over the shipped sample files. */
abstract class DemoRoutes {
  /** The sample files as the build copied them: a real folder, so sendfile can serve it. */
  static final Path SAMPLES = samples();

  /** The demo pipeline; its scheduler ends when the host disposes of the application. */
  @TestApplication
  static Consumer<AppBuilder> app() {
    return builder -> {
      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
      ((CancellationToken) builder.properties().get(HostKeys.ON_APP_DISPOSING))
          .register(scheduler::shutdownNow);
      builder.run(DemoApp.create(SAMPLES, scheduler));
    };
  }

  private static Path samples() {
    try {
      return Path.of(DemoRoutes.class.getResource("sample-files").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
