package io.owin4j.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's requests look the same to the application on both hosts. */
@OwinHostTest
@Timeout(30)
class BothHostsClientTest {
  /** Per request of the endless endpoint, counted down when its owin.CallCancelled fires. */
  static final Map<String, CountDownLatch> CANCELLED = new ConcurrentHashMap<>();

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.map("/echo-body", branch -> branch.run(BothHostsClientTest::echoBody))
            .map(
                "/login",
                branch ->
                    branch.run(
                        env -> {
                          OwinContext context = OwinContext.of(env);
                          context.setResponseHeader("Set-Cookie", "session=s1; Path=/");
                          return context.writeTextAsync("in");
                        }))
            .map("/endless", branch -> branch.run(BothHostsClientTest::endless))
            .map("/raw", branch -> branch.run(BothHostsClientTest::rawEcho))
            .run(
                env -> {
                  OwinContext context = OwinContext.of(env);
                  String cookie = context.requestHeader("Cookie");
                  return context.writeTextAsync(
                      context.requestHeader("Host")
                          + "|"
                          + context.get(OwinKeys.REQUEST_ID, String.class)
                          + "|"
                          + context.path()
                          + "|"
                          + context.queryString()
                          + "|"
                          + (cookie == null ? "no cookie" : cookie));
                });
  }

  private static CompletableFuture<Void> echoBody(Map<String, Object> env) throws IOException {
    OwinContext context = OwinContext.of(env);
    context.setContentType(context.requestHeader("Content-Type"));
    context.write(context.requestBody().readAllBytes());
    return CompletableFuture.completedFuture(null);
  }

  /** Writes until the client goes away, which must fire owin.CallCancelled. */
  private static CompletableFuture<Void> endless(Map<String, Object> env) {
    OwinContext context = OwinContext.of(env);
    CancellationToken cancelled = context.callCancelled();
    cancelled.register(CANCELLED.get(context.query("token"))::countDown);
    OutputStream body = context.responseBody();
    try {
      while (!cancelled.isCancellationRequested()) {
        body.write(new byte[1024]);
        body.flush();
      }
    } catch (IOException expected) {
      // The client went away; that is what this endpoint waits for.
    }
    return CompletableFuture.completedFuture(null);
  }

  private static CompletableFuture<Void> rawEcho(Map<String, Object> env) {
    OpaqueUpgrade upgrade = (OpaqueUpgrade) env.get(OpaqueKeys.UPGRADE);
    if (upgrade == null) {
      env.put(OwinKeys.RESPONSE_STATUS_CODE, 426);
      return CompletableFuture.completedFuture(null);
    }
    upgrade.upgrade(
        null,
        opaque -> {
          OpaqueStream stream = (OpaqueStream) opaque.get(OpaqueKeys.STREAM);
          return CompletableFuture.runAsync(
              () -> {
                try {
                  stream.input().transferTo(stream.output());
                  stream.output().flush();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
        });
    return CompletableFuture.completedFuture(null);
  }

  @Test
  void everyRequestHasAHostAndItsOwnId(TestClient client) {
    String[] first = client.get("/").send().bodyAsText().split("\\|");
    String[] second = client.get("/").send().bodyAsText().split("\\|");

    assertTrue(!first[0].isEmpty(), "Host header must be present");
    assertNotEquals(first[1], second[1]);
  }

  @Test
  void pathArrivesDecodedAndQueryEncoded(TestClient client) {
    String[] parts = client.get("/a%20b").query("q", "x y").send().bodyAsText().split("\\|");

    assertEquals("/a b", parts[2]);
    assertEquals("q=x+y", parts[3]);
  }

  @Test
  void bytesBodyArrivesWhole(TestClient client) {
    TestResponse response = client.post("/echo-body").body("payload", "text/plain").send();

    assertEquals("payload", response.bodyAsText());
    assertEquals("text/plain", response.header("Content-Type"));
  }

  @Test
  void streamedBodyArrivesWhole(TestClient client) {
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    TestResponse response =
        client
            .put("/echo-body")
            .body(new ByteArrayInputStream(data), "application/octet-stream")
            .send();

    assertArrayEquals(data, response.bodyAsBytes());
  }

  @Test
  void cookieJarSendsBackWhatTheServerSet(TestClient client) {
    TestClient browser = client.withCookies();
    browser.get("/login").send().close();

    assertTrue(browser.get("/").send().bodyAsText().endsWith("|session=s1"));
  }

  @Test
  void closingAnEndlessResponseFiresCallCancelled(TestClient client) throws Exception {
    String token = Long.toString(System.nanoTime());
    CountDownLatch cancelled = new CountDownLatch(1);
    CANCELLED.put(token, cancelled);
    try {
      TestResponse response = client.get("/endless").query("token", token).send();
      InputStream body = response.bodyStream();
      body.readNBytes(10);
      response.close();

      assertTrue(cancelled.await(10, TimeUnit.SECONDS));
    } finally {
      CANCELLED.remove(token);
    }
  }

  @Test
  void opaqueUpgradeEchoesRawBytes(TestClient client) throws IOException {
    try (OpaqueConnection connection = client.upgrade("/raw", "echo")) {
      assertEquals(101, connection.handshakeResponse().status());
      connection.output().write("raw bytes".getBytes(UTF_8));
      connection.output().close();
      assertEquals("raw bytes", new String(connection.input().readAllBytes(), UTF_8));
    }
  }

  @Test
  @OnlyOn(value = HostMode.UNDERTOW, reason = "uses the JDK HttpClient directly")
  void httpClientReachesTheServer(TestClient client) throws Exception {
    HttpResponse<String> response =
        client
            .httpClient()
            .send(
                HttpRequest.newBuilder(client.baseUri().resolve("/plain")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertTrue(response.body().contains("|/plain|"), response.body());
  }
}
