package io.owin4j.middleware.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@OwinHostTest
@Timeout(30)
class HealthCheckTest {
  static final AtomicBoolean DATABASE_UP = new AtomicBoolean(true);

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.use(HealthCheck.create())
            .use(HealthCheck.at("/ready", DATABASE_UP::get))
            .use(
                HealthCheck.at(
                    "/broken",
                    () -> {
                      throw new IllegalStateException("probe failed");
                    }))
            .run(env -> OwinContext.of(env).writeTextAsync("app"));
  }

  @Test
  void healthAnswers200WithATinyJsonBody(TestClient client) {
    TestResponse response = client.get("/health").send();

    assertEquals(200, response.status());
    assertEquals("{\"status\":\"UP\"}", response.bodyAsText());
    assertEquals("application/json", response.header("Content-Type"));
    assertEquals("no-store", response.header("Cache-Control"));
  }

  @Test
  void failingCheckAnswers503(TestClient client) {
    DATABASE_UP.set(false);
    try {
      TestResponse response = client.get("/ready").send();

      assertEquals(503, response.status());
      assertEquals("{\"status\":\"DOWN\"}", response.bodyAsText());
    } finally {
      DATABASE_UP.set(true);
    }
    assertEquals(200, client.get("/ready").send().status());
  }

  @Test
  void throwingCheckCountsAsDown(TestClient client) {
    assertEquals(503, client.get("/broken").send().status());
  }

  @Test
  void otherPathsAndMethodsGoToTheApplication(TestClient client) {
    assertEquals("app", client.get("/health/x").send().bodyAsText());
    assertEquals("app", client.post("/health").body("", "text/plain").send().bodyAsText());
  }

  @Test
  void headGetsTheHeadersOnly(TestClient client) {
    TestResponse response = client.method("HEAD", "/health").send();

    assertEquals(200, response.status());
    assertEquals(0, response.bodyAsBytes().length);
  }
}
