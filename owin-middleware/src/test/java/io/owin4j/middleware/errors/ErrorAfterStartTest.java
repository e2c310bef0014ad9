package io.owin4j.middleware.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** After the headers went out, error handling can only log and let the host abort. */
@OwinHostTest(propagateExceptions = false)
@Timeout(30)
class ErrorAfterStartTest {
  static final IllegalStateException LATE = new IllegalStateException("late failure");

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.use(ErrorHandling.create())
            .run(
                env -> {
                  OwinContext context = OwinContext.of(env);
                  context.setResponseHeader("Content-Length", "100");
                  context.write("partial".getBytes(StandardCharsets.UTF_8));
                  context.responseBody().flush();
                  throw LATE;
                });
  }

  @Test
  void failureAfterTheResponseStartedAbortsItAndIsLogged(TestClient client) {
    try (LogCapture log = new LogCapture(ErrorHandling.class.getName())) {
      TestResponse response = client.get("/").send();

      assertEquals(200, response.status());
      assertThrows(IOException.class, () -> response.bodyStream().readAllBytes());
      assertEquals(1, log.records.size());
      assertEquals(Level.SEVERE, log.records.get(0).getLevel());
      assertTrue(log.records.get(0).getMessage().contains("after the response started"));
      assertSame(LATE, log.records.get(0).getThrown());
    }
  }
}
