package io.owin4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Many in-memory requests through a five-middleware pipeline; speed is for the benchmarks. */
class PipelineLoadTest {
  private static final int REQUESTS = 10_000;

  private static Consumer<AppBuilder> fiveMiddleware() {
    return app -> {
      for (int i = 1; i <= 5; i++) {
        String name = "X-Layer-" + i;
        app.use(
            (context, next) -> {
              context.setResponseHeader(name, "seen");
              return next.invoke(context.environment());
            });
      }
      app.run(env -> OwinContext.of(env).writeTextAsync(OwinContext.of(env).path()));
    };
  }

  @Test
  void tenThousandRequestsPassThroughFiveMiddleware() {
    try (TestServer server = TestServer.configure(fiveMiddleware())) {
      for (int i = 0; i < REQUESTS; i++) {
        TestResponse response = server.get("/item/" + i).send();
        assertEquals("/item/" + i, response.bodyAsText());
        assertEquals("seen", response.header("X-Layer-5"));
      }
      server.assertIdle(Duration.ofSeconds(5));
    }
  }
}
