package io.owin4j.middleware.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.owin4j.api.RoutingKeys;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@OwinHostTest
@Timeout(30)
class RouterTest {
  @TestApplication
  static Consumer<AppBuilder> app() {
    Router router =
        Router.builder()
            .get(
                "/users/{id}",
                env -> {
                  OwinContext context = OwinContext.of(env);
                  return context.writeTextAsync(
                      "user "
                          + context.routeParameter("id")
                          + " via "
                          + env.get(RoutingKeys.TEMPLATE));
                })
            .delete("/users/{id}", env -> OwinContext.of(env).writeTextAsync("deleted"))
            .get(
                "/users/{id}/files/{*path}",
                env -> {
                  OwinContext context = OwinContext.of(env);
                  return context.writeTextAsync(
                      context.routeParameter("id") + ":" + context.routeParameter("path"));
                })
            .post("/users", env -> OwinContext.of(env).writeTextAsync("created"))
            .get(
                "/sized",
                env -> {
                  byte[] body = "twelve bytes".getBytes(StandardCharsets.UTF_8);
                  OwinContext context = OwinContext.of(env);
                  context.setResponseHeader("Content-Length", Integer.toString(body.length));
                  context.setResponseHeader("X-Route", "sized");
                  context.write(body);
                  return context.writeTextAsync("");
                })
            .build();
    Router nested =
        Router.builder()
            .get(
                "/items/{name}",
                env -> {
                  OwinContext context = OwinContext.of(env);
                  return context.writeTextAsync(
                      context.pathBase() + "|" + context.routeParameter("name"));
                })
            .build();
    return app ->
        app.map("/api", api -> api.run(nested))
            .use(router)
            .run(env -> OwinContext.of(env).setStatusCode(418).writeTextAsync("next"));
  }

  @Test
  void parameterIsReachableFromTheContextAndTheEnvironment(TestClient client) {
    TestResponse response = client.get("/users/42").send();

    assertEquals(200, response.status());
    assertEquals("user 42 via /users/{id}", response.bodyAsText());
  }

  @Test
  void parametersAreDecoded(TestClient client) {
    assertEquals("user a b via /users/{id}", client.get("/users/a%20b").send().bodyAsText());
  }

  @Test
  void trailingWildcardTakesTheRestOfThePath(TestClient client) {
    assertEquals("7:docs/a.txt", client.get("/users/7/files/docs/a.txt").send().bodyAsText());
  }

  @Test
  void trailingWildcardMayBeEmpty(TestClient client) {
    assertEquals("7:", client.get("/users/7/files").send().bodyAsText());
  }

  @Test
  void methodSelectsTheRoute(TestClient client) {
    assertEquals("deleted", client.delete("/users/42").send().bodyAsText());
    assertEquals("created", client.post("/users").body("", "text/plain").send().bodyAsText());
  }

  @Test
  void wrongMethodIs405WithAllow(TestClient client) {
    TestResponse response = client.put("/users/42").body("x", "text/plain").send();

    assertEquals(405, response.status());
    assertEquals("GET, DELETE, HEAD, OPTIONS", response.header("Allow"));
  }

  @Test
  void headIsAnsweredByTheGetRouteWithoutABody(TestClient client) {
    TestResponse response = client.method("HEAD", "/sized").send();

    assertEquals(200, response.status());
    assertEquals("sized", response.header("X-Route"));
    assertEquals("12", response.header("Content-Length"));
    assertEquals(0, response.bodyAsBytes().length);
  }

  @Test
  void optionsIsAnsweredWith204AndAllow(TestClient client) {
    TestResponse response = client.method("OPTIONS", "/users").send();

    assertEquals(204, response.status());
    assertEquals("POST, OPTIONS", response.header("Allow"));
  }

  @Test
  void unmatchedPathGoesToTheNextApplicationWhenUsedAsMiddleware(TestClient client) {
    TestResponse response = client.get("/nothing/here").send();

    assertEquals(418, response.status());
    assertEquals("next", response.bodyAsText());
  }

  @Test
  void unmatchedPathIs404WhenRunAsTheEndpoint(TestClient client) {
    TestResponse response = client.get("/api/other").send();

    assertEquals(404, response.status());
    assertNull(response.header("Allow"));
  }

  @Test
  void routesUnderMapMatchBelowThePathBase(TestClient client) {
    assertEquals("/api|pen", client.get("/api/items/pen").send().bodyAsText());
  }

  @Test
  void parameterDoesNotMatchAnEmptySegment(TestClient client) {
    assertEquals(418, client.get("/users/").send().status());
  }
}
