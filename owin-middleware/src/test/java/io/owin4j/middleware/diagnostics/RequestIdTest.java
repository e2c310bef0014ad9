package io.owin4j.middleware.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.OwinKeys;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.middleware.errors.ErrorHandling;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@OwinHostTest
@Timeout(30)
class RequestIdTest {
  @TestApplication
  static Consumer<AppBuilder> app() {
    Logger.getLogger(ErrorHandling.class.getName()).setUseParentHandlers(false);
    return app ->
        app.map(
                "/custom",
                b ->
                    b.use(RequestId.withHeader("X-Correlation-Id"))
                        .run(env -> OwinContext.of(env).writeTextAsync((String) env.get(OwinKeys.REQUEST_ID))))
            .use(RequestId.create())
            .use(ErrorHandling.create())
            .map(
                "/boom",
                b ->
                    b.run(
                        env -> {
                          throw new IllegalStateException("boom");
                        }))
            .run(env -> OwinContext.of(env).writeTextAsync((String) env.get(OwinKeys.REQUEST_ID)));
  }

  @Test
  void saneIncomingIdIsTakenSetAndEchoed(TestClient client) {
    TestResponse response = client.get("/").header("X-Request-Id", "abc-123.x:y/z+=_").send();

    assertEquals("abc-123.x:y/z+=_", response.bodyAsText());
    assertEquals("abc-123.x:y/z+=_", response.header("X-Request-Id"));
  }

  @Test
  void missingIdIsMadeUpAsAUuid(TestClient client) {
    TestResponse first = client.get("/").send();
    TestResponse second = client.get("/").send();

    String id = first.bodyAsText();
    assertEquals(id, UUID.fromString(id).toString());
    assertEquals(id, first.header("X-Request-Id"));
    assertNotEquals(id, second.bodyAsText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"has space", "quote\"d", "semi;colon", "<script>"})
  void insaneIncomingIdIsReplaced(String offered, TestClient client) {
    TestResponse response = client.get("/").header("X-Request-Id", offered).send();

    String id = response.bodyAsText();
    assertEquals(id, UUID.fromString(id).toString());
    assertEquals(id, response.header("X-Request-Id"));
  }

  @Test
  void overlongIncomingIdIsReplaced(TestClient client) {
    TestResponse response = client.get("/").header("X-Request-Id", "a".repeat(129)).send();

    assertEquals(36, response.bodyAsText().length());
  }

  @Test
  void errorPageKeepsTheEchoedId(TestClient client) {
    TestResponse response = client.get("/boom").header("X-Request-Id", "req-42").send();

    assertEquals(500, response.status());
    assertEquals("req-42", response.header("X-Request-Id"));
  }

  @Test
  void headerNameIsConfigurable(TestClient client) {
    TestResponse response = client.get("/custom").header("X-Correlation-Id", "c-1").send();

    assertEquals("c-1", response.bodyAsText());
    assertEquals("c-1", response.header("X-Correlation-Id"));
    assertTrue(response.header("X-Request-Id") == null);
  }

  @Test
  void headerNameMustBeAToken() {
    assertThrows(IllegalArgumentException.class, () -> RequestId.withHeader("X Id"));
  }
}
