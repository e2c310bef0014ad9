// README:begin testing-greeting
package io.owin4j.testkit.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// Runs every test twice: in memory, and on a real Undertow server on 127.0.0.1.
@OwinHostTest
@Timeout(30)
class GreetingTest {
  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.use(
                (context, next) -> {
                  // Runs just before the headers go out, whatever the rest of the pipeline does.
                  context.onSendingHeaders(
                      () -> context.setResponseHeader("X-Powered-By", "Owin4J"));
                  return next.invoke(context.environment());
                })
            .run(
                env -> {
                  OwinContext context = OwinContext.of(env);
                  String name = context.query("name");
                  if (name == null) {
                    throw new IllegalArgumentException("name is missing");
                  }
                  return context.writeTextAsync("Hello, " + name);
                });
  }

  @Test
  void greetsByName(TestClient client) {
    TestResponse response = client.get("/").query("name", "Ada").send();

    assertEquals(200, response.status());
    assertEquals("Owin4J", response.header("X-Powered-By"));
    assertEquals("Hello, Ada", response.bodyAsText());
  }

  @Test
  void applicationExceptionReachesTheTest(TestClient client) {
    assertThrows(IllegalArgumentException.class, () -> client.get("/").send());
  }
}
// README:end
