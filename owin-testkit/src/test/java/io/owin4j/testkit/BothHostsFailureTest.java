package io.owin4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With exception propagation off, a failing application looks the same as to a real client. */
@OwinHostTest(propagateExceptions = false)
@Timeout(30)
class BothHostsFailureTest {
  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.map(
                "/late",
                branch ->
                    branch.run(
                        env -> {
                          OwinContext context = OwinContext.of(env);
                          context.writeText("partial");
                          context.responseBody().flush();
                          throw new IllegalStateException("late boom");
                        }))
            .run(
                env -> {
                  OwinContext.of(env).setResponseHeader("X-Secret", "not for the client");
                  throw new IllegalStateException("early boom");
                });
  }

  @Test
  void failureBeforeTheResponseStartedIsABare500(TestClient client) {
    TestResponse response = client.get("/").send();

    assertEquals(500, response.status());
    assertNull(response.header("X-Secret"));
    assertEquals("", response.bodyAsText());
  }

  @Test
  void failureAfterTheResponseStartedAbortsTheBody(TestClient client) {
    TestResponse response = client.get("/late").send();

    assertEquals(200, response.status());
    UncheckedIOException thrown = assertThrows(UncheckedIOException.class, response::bodyAsText);
    assertInstanceOf(IOException.class, thrown.getCause());
  }
}
