package io.owin4j.middleware.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@OwinHostTest
@Timeout(30)
class CorsTest {
  private static final List<String> CORS_HEADERS =
      List.of(
          "Access-Control-Allow-Origin",
          "Access-Control-Allow-Methods",
          "Access-Control-Allow-Headers",
          "Access-Control-Allow-Credentials",
          "Access-Control-Expose-Headers",
          "Access-Control-Max-Age");

  @TestApplication
  static Consumer<AppBuilder> app() {
    Cors strict =
        Cors.builder()
            .allowOrigins("https://app.example.com")
            .allowOriginPatterns("http://localhost:*", "https://*.example.org")
            .allowMethods("GET", "PUT")
            .allowHeaders("Content-Type", "X-Token")
            .exposeHeaders("X-Total")
            .allowCredentials(true)
            .maxAge(Duration.ofMinutes(10))
            .build();
    Cors open = Cors.builder().allowOrigins("*").allowHeaders("*").build();
    return app ->
        app.map("/open", b -> b.use(open).run(CorsTest::answer)).use(strict).run(CorsTest::answer);
  }

  private static java.util.concurrent.CompletionStage<Void> answer(Map<String, Object> env) {
    OwinContext context = OwinContext.of(env);
    context.setResponseHeader("X-Total", "3");
    return context.writeTextAsync(context.method() + " reached the application");
  }

  private static TestResponse preflight(
      TestClient client, String path, String origin, String method, String headers) {
    var request =
        client
            .method("OPTIONS", path)
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method);
    if (!headers.isEmpty()) {
      request.header("Access-Control-Request-Headers", headers);
    }
    return request.send();
  }

  @Test
  void preflightFromAnAllowedOriginGets204WithTheCorsHeaders(TestClient client) {
    TestResponse response =
        preflight(client, "/items", "https://app.example.com", "PUT", "content-type, x-token");

    assertEquals(204, response.status());
    assertEquals("https://app.example.com", response.header("Access-Control-Allow-Origin"));
    assertEquals("GET, PUT", response.header("Access-Control-Allow-Methods"));
    assertEquals("content-type, x-token", response.header("Access-Control-Allow-Headers"));
    assertEquals("true", response.header("Access-Control-Allow-Credentials"));
    assertEquals("600", response.header("Access-Control-Max-Age"));
    assertTrue(response.header("Vary").contains("Origin"), response.header("Vary"));
    assertEquals("", response.bodyAsText(), "the application does not run for a preflight");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:8080", "http://LOCALHOST:3000", "https://a.b.example.org"})
  void originPatternsAllow(String origin, TestClient client) {
    TestResponse response = preflight(client, "/items", origin, "GET", "");

    assertEquals(204, response.status());
    assertEquals(origin, response.header("Access-Control-Allow-Origin"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://evil.example.com",
        "http://app.example.com",
        "http://localhost",
        "http://localhost:80x",
        "https://example.org",
        "https://app.example.com.evil.net",
        "null"
      })
  void rejectedOriginGetsNoCorsHeaders(String origin, TestClient client) {
    TestResponse preflight = preflight(client, "/items", origin, "GET", "");
    TestResponse simple = client.get("/items").header("Origin", origin).send();

    for (String header : CORS_HEADERS) {
      assertNull(preflight.header(header), header);
      assertNull(simple.header(header), header);
    }
    assertEquals("OPTIONS reached the application", preflight.bodyAsText());
    assertEquals("GET reached the application", simple.bodyAsText());
  }

  @Test
  void preflightForAMethodNotAllowedGetsNoCorsHeaders(TestClient client) {
    TestResponse response = preflight(client, "/items", "https://app.example.com", "DELETE", "");

    assertNull(response.header("Access-Control-Allow-Origin"));
    assertNull(response.header("Access-Control-Allow-Methods"));
  }

  @Test
  void preflightForAHeaderNotAllowedGetsNoCorsHeaders(TestClient client) {
    TestResponse response =
        preflight(client, "/items", "https://app.example.com", "GET", "X-Other");

    assertNull(response.header("Access-Control-Allow-Origin"));
  }

  @Test
  void simpleRequestFromAnAllowedOriginGetsOriginCredentialsAndExposedHeaders(TestClient client) {
    TestResponse response = client.get("/items").header("Origin", "http://localhost:5173").send();

    assertEquals(200, response.status());
    assertEquals("GET reached the application", response.bodyAsText());
    assertEquals("http://localhost:5173", response.header("Access-Control-Allow-Origin"));
    assertEquals("true", response.header("Access-Control-Allow-Credentials"));
    assertEquals("X-Total", response.header("Access-Control-Expose-Headers"));
    assertEquals("Origin", response.header("Vary"));
    assertNull(response.header("Access-Control-Allow-Methods"));
  }

  @Test
  void requestWithoutOriginGetsVaryOnly(TestClient client) {
    TestResponse response = client.get("/items").send();

    assertEquals("Origin", response.header("Vary"));
    assertNull(response.header("Access-Control-Allow-Origin"));
  }

  @Test
  void anyOriginWithoutCredentialsAnswersStar(TestClient client) {
    TestResponse simple = client.get("/open/x").header("Origin", "https://anyone.net").send();
    TestResponse preflight =
        preflight(client, "/open/x", "https://anyone.net", "POST", "X-Anything");

    assertEquals("*", simple.header("Access-Control-Allow-Origin"));
    assertNull(simple.header("Vary"));
    assertNull(simple.header("Access-Control-Allow-Credentials"));
    assertEquals(204, preflight.status());
    assertEquals("*", preflight.header("Access-Control-Allow-Origin"));
    assertEquals("X-Anything", preflight.header("Access-Control-Allow-Headers"));
  }

  @Test
  void credentialsWithAnyOriginAreRefused() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Cors.builder().allowOrigins("*").allowCredentials(true).build());

    assertEquals(
        "credentials cannot be allowed for any origin (*); list the allowed origins instead",
        e.getMessage());
  }

  @Test
  void originWithAPathIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> Cors.builder().allowOrigins("https://a.com/x"));
    assertThrows(
        IllegalArgumentException.class, () -> Cors.builder().allowOriginPatterns("https://a.com"));
  }
}
