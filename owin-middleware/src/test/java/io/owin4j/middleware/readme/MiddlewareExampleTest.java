package io.owin4j.middleware.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.middleware.compression.ResponseCompression;
import io.owin4j.middleware.cors.Cors;
import io.owin4j.middleware.diagnostics.AccessLog;
import io.owin4j.middleware.diagnostics.HealthCheck;
import io.owin4j.middleware.diagnostics.RequestId;
import io.owin4j.middleware.diagnostics.RequestTimeout;
import io.owin4j.middleware.errors.ErrorHandling;
import io.owin4j.middleware.errors.HttpStatusException;
import io.owin4j.middleware.routing.Router;
import io.owin4j.middleware.staticfiles.StaticFiles;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's middleware example, run on both hosts. */
@OwinHostTest
@Timeout(30)
class MiddlewareExampleTest {
  @BeforeAll
  static void quietAccessLog() {
    Logger.getLogger(AccessLog.LOGGER_NAME).setUseParentHandlers(false);
  }

  @TestApplication
  static Consumer<AppBuilder> app() {
    // README:begin middleware
    Router api =
        Router.builder()
            .get(
                "/users/{id}",
                env -> {
                  OwinContext context = OwinContext.of(env);
                  String id = context.routeParameter("id");
                  if (!id.chars().allMatch(Character::isDigit)) {
                    throw new HttpStatusException(404, "no user " + id);
                  }
                  return context.writeTextAsync("user " + id);
                })
            .build();
    StaticFiles files =
        StaticFiles.fromClasspath(MiddlewareExampleTest.class.getClassLoader(), "public").build();
    return app ->
        app.use(AccessLog.create(AccessLog.Format.COMBINED))
            .use(RequestId.create())
            .use(ErrorHandling.builder().developerPage(false).build())
            .use(Cors.builder().allowOrigins("https://app.example.com").build())
            .use(HealthCheck.create())
            .use(RequestTimeout.of(Duration.ofSeconds(30)))
            .use(ResponseCompression.create())
            .map("/static", branch -> branch.run(files))
            .map("/api", branch -> branch.run(api));
    // README:end
  }

  @Test
  void routeParameterReachesTheEndpoint(TestClient client) {
    TestResponse response = client.get("/api/users/7").send();

    assertEquals("user 7", response.bodyAsText());
    assertNotNull(response.header("X-Request-Id"));
  }

  @Test
  void httpStatusExceptionBecomesItsStatus(TestClient client) {
    assertEquals(404, client.get("/api/users/ada").send().status());
  }

  @Test
  void staticFileIsServed(TestClient client) {
    assertEquals("Hello from the class path.\n", client.get("/static/hello.txt").send().bodyAsText());
  }

  @Test
  void healthAnswers(TestClient client) {
    assertEquals(200, client.get("/health").send().status());
  }

  @Test
  void corsPreflightIsAnswered(TestClient client) {
    TestResponse response =
        client
            .method("OPTIONS", "/api/users/7")
            .header("Origin", "https://app.example.com")
            .header("Access-Control-Request-Method", "GET")
            .send();

    assertEquals(204, response.status());
    assertEquals("https://app.example.com", response.header("Access-Control-Allow-Origin"));
  }
}
