package io.owin4j.undertow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.OwinKeys;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every host owes an application, checked on the Undertow host and on the in-memory host with
 * the same tests: request keys, response start rules, streaming and failures.
 */
@OwinHostTest
@Timeout(30)
class HostContractTest {
  static final IllegalStateException BOOM = new IllegalStateException("boom");
  static volatile CountDownLatch firstChunkRead = new CountDownLatch(1);

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.map(
                "/keys",
                branch ->
                    branch.run(
                        env -> {
                          OwinContext context = OwinContext.of(env);
                          return context.writeTextAsync(
                              context.method()
                                  + "|"
                                  + context.pathBase()
                                  + "|"
                                  + context.path()
                                  + "|"
                                  + context.queryString()
                                  + "|"
                                  + (context.requestHeader("Host") != null)
                                  + "|"
                                  + env.get(OwinKeys.REQUEST_ID));
                        }))
            .map(
                "/headers-last-chance",
                branch ->
                    branch.run(
                        env -> {
                          OwinContext context = OwinContext.of(env);
                          context.onSendingHeaders(
                              () -> context.setResponseHeader("X-Order", "registered-first"));
                          context.onSendingHeaders(
                              () -> context.setResponseHeader("X-Order", "registered-last"));
                          context.setStatusCode(202);
                          context.writeText("accepted");
                          try {
                            context.setStatusCode(500);
                            context.writeText("|status changed after the start");
                          } catch (IllegalStateException expected) {
                            context.writeText("|frozen");
                          }
                          return CompletableFuture.completedFuture(null);
                        }))
            .map(
                "/stream",
                branch ->
                    branch.run(
                        env -> {
                          OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
                          body.write("first|".getBytes(StandardCharsets.UTF_8));
                          body.flush();
                          // The client reads the first chunk while the application still runs.
                          assertTrue(firstChunkRead.await(10, TimeUnit.SECONDS));
                          body.write("second".getBytes(StandardCharsets.UTF_8));
                          return CompletableFuture.completedFuture(null);
                        }))
            .map(
                "/boom",
                branch ->
                    branch.run(
                        env -> {
                          throw BOOM;
                        }))
            .run(env -> CompletableFuture.completedFuture(null));
  }

  @Test
  void requestKeysArriveDecodedWithTheQueryStillEncoded(TestClient client) {
    String[] parts =
        client.get("/keys/a%20b").query("q", "x y").send().bodyAsText().split("\\|", -1);

    assertEquals("GET", parts[0]);
    assertEquals("/keys", parts[1]);
    assertEquals("/a b", parts[2]);
    assertEquals("q=x+y", parts[3].replace("%20", "+"));
    assertEquals("true", parts[4]);
  }

  @Test
  void everyRequestHasItsOwnId(TestClient client) {
    String first = client.get("/keys").send().bodyAsText();
    String second = client.get("/keys").send().bodyAsText();

    assertNotEquals(first.substring(first.lastIndexOf('|')), second.substring(second.lastIndexOf('|')));
  }

  @Test
  void onSendingHeadersRunsLastRegisteredFirstAndTheHeadThenFreezes(TestClient client) {
    TestResponse response = client.get("/headers-last-chance").send();

    assertEquals(202, response.status());
    assertEquals("registered-first", response.header("X-Order"));
    assertEquals("accepted|frozen", response.bodyAsText());
  }

  @Test
  void aFlushedChunkReachesTheClientBeforeTheApplicationFinishes(TestClient client)
      throws Exception {
    firstChunkRead = new CountDownLatch(1);
    try (TestResponse response = client.get("/stream").send()) {
      InputStream body = response.bodyStream();
      assertEquals("first|", new String(body.readNBytes(6), StandardCharsets.UTF_8));
      firstChunkRead.countDown();
      assertEquals("second", new String(body.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void anApplicationFailureReachesTheTest(TestClient client) {
    assertSame(BOOM, assertThrows(IllegalStateException.class, () -> client.get("/boom").send()));
  }

  @Test
  void anUnmappedPathGetsTheDefaultEmptyResponse(TestClient client) {
    TestResponse response = client.get("/nothing-here").send();

    assertEquals(200, response.status());
    assertEquals("", response.bodyAsText());
    assertNull(response.header("X-Order"));
    assertNotNull(response.headers());
  }
}
