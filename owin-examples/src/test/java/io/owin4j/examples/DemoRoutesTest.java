package io.owin4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.HostKeys;
import io.owin4j.core.AppBuilder;
import io.owin4j.middleware.errors.ErrorHandling;
import io.owin4j.testkit.OpaqueConnection;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.UpgradeDeniedException;
import io.owin4j.testkit.WebSocketMessage;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's routes through real clients, once in memory and once on Undertow, with the spec linter
 * checking every request.
 */
@OwinHostTest
@Timeout(60)
class DemoRoutesTest {
  /** The sample files as the build copied them: a real folder, so sendfile can serve it. */
  private static final Path SAMPLES = samples();

  /** The demo pipeline; its scheduler ends when the host disposes of the application. */
  @TestApplication
  static Consumer<AppBuilder> app() {
    return builder -> {
      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
      ((CancellationToken) builder.properties().get(HostKeys.ON_APP_DISPOSING))
          .register(scheduler::shutdownNow);
      builder.run(DemoApp.create(SAMPLES, scheduler));
    };
  }

  private static Path samples() {
    try {
      return Path.of(DemoRoutesTest.class.getResource("sample-files").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private final Logger errorLog = Logger.getLogger(ErrorHandling.class.getName());

  @BeforeEach
  void quietExpectedFailures() {
    errorLog.setUseParentHandlers(false); // /boom logs on purpose
  }

  @AfterEach
  void restoreLog() {
    errorLog.setUseParentHandlers(true);
  }

  @Test
  void rootServesTheHtmlConsole(TestClient client) {
    TestResponse response = client.get("/").send();

    assertEquals(200, response.status());
    assertEquals("text/html; charset=utf-8", response.header("Content-Type"));
    assertTrue(response.bodyAsText().contains("id=\"connect\""));
  }

  @Test
  void helloGreets(TestClient client) {
    TestResponse response = client.get("/hello").send();

    assertEquals("text/plain; charset=utf-8", response.header("Content-Type"));
    assertEquals("20", response.header("Content-Length"));
    assertEquals("Hello World via OWIN", response.bodyAsText());
  }

  @Test
  void envShowsTheQueryStringAsSentAndTheHeaders(TestClient client) {
    String body = client.get("/env?x=%41+b").header("X-Demo", "yes").send().bodyAsText();

    assertTrue(body.contains("\"owin.RequestQueryString\": \"x=%41+b\""), body);
    assertTrue(body.contains("[\"yes\"]"), body);
  }

  @Test
  void streamRejectsABadCount(TestClient client) {
    assertEquals(400, client.get("/stream?n=lots").send().status());
  }

  @Test
  void boomAnswersAPlain500(TestClient client) {
    TestResponse response = client.get("/boom").send();

    assertEquals(500, response.status());
    assertEquals("Internal Server Error", response.bodyAsText());
  }

  @Test
  void unknownPathIs404(TestClient client) {
    assertEquals(404, client.get("/nowhere").send().status());
  }

  @Test
  void webSocketEchoesTextAndBinaryWithTheSubprotocol(TestClient client) {
    try (TestWebSocket socket = client.webSocket("/ws/echo").subprotocols("echo.v1").connect()) {
      socket.sendText("hello");
      socket.sendBinary(new byte[] {1, 2, 3});

      assertEquals("echo.v1", socket.subProtocol());
      assertEquals(WebSocketMessage.text("hello"), socket.receive());
      assertEquals(WebSocketMessage.binary(new byte[] {1, 2, 3}), socket.receive());
    }
  }

  @Test
  void webSocketEchoesAFragmentedMessageWhole(TestClient client) {
    try (TestWebSocket socket = client.webSocket("/ws/echo").connect()) {
      socket.sendFragment("frag", false);
      socket.sendFragment("ments", true);

      assertNull(socket.subProtocol());
      assertEquals(WebSocketMessage.text("fragments"), socket.receive());
    }
  }

  @Test
  void webSocketClosesBackWithTheClientsStatus(TestClient client) {
    try (TestWebSocket socket = client.webSocket("/ws/echo").connect()) {
      socket.close(4000, "done");

      assertEquals(WebSocketMessage.close(4000, "done"), socket.receive());
    }
  }

  @Test
  void plainGetOnTheWebSocketRouteIs426(TestClient client) {
    TestResponse response = client.get("/ws/echo").send();

    assertEquals(426, response.status());
    assertEquals("websocket", response.header("Upgrade"));
  }

  @Test
  void matchingEtagIs304(TestClient client) {
    String etag = client.get("/files/hello.txt").send().header("ETag");

    TestResponse response = client.get("/files/hello.txt").header("If-None-Match", etag).send();

    assertEquals(304, response.status());
    assertEquals(0, response.bodyAsBytes().length);
  }

  @Test
  void rangePastTheEndIs416(TestClient client) throws Exception {
    long size = Files.size(SAMPLES.resolve("hello.txt"));

    TestResponse response =
        client.get("/files/hello.txt").header("Range", "bytes=" + size + "-").send();

    assertEquals(416, response.status());
    assertEquals("bytes */" + size, response.header("Content-Range"));
  }

  @Test
  void encodedDotDotIsRejected(TestClient client) {
    assertEquals(400, client.get("/files/%2e%2e/%2e%2e/pom.xml").send().status());
  }

  @Test
  void missingFileIs404(TestClient client) {
    assertEquals(404, client.get("/files/missing.txt").send().status());
  }

  @Test
  void opaqueUpgradeEchoesEveryByte(TestClient client) throws Exception {
    try (OpaqueConnection connection = client.upgrade("/opaque/echo", "echo")) {
      connection.output().write("ping".getBytes(UTF_8));
      connection.output().flush();

      assertEquals(101, connection.handshakeResponse().status());
      assertEquals("ping", new String(connection.input().readNBytes(4), UTF_8));
    }
  }

  @Test
  void opaqueUpgradeToAnotherProtocolIsDenied(TestClient client) {
    UpgradeDeniedException denied =
        assertThrows(UpgradeDeniedException.class, () -> client.upgrade("/opaque/echo", "chat"));

    assertEquals(426, denied.response().status());
  }

  @Test
  void echoStreamsTheBodyBackWithItsContentType(TestClient client) {
    byte[] payload = new byte[300_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }

    TestResponse response = client.post("/echo").body(payload, "application/x-demo").send();

    assertEquals("application/x-demo", response.header("Content-Type"));
    assertArrayEquals(payload, response.bodyAsBytes());
  }

  @Test
  void streamSendsEachLine(TestClient client) {
    TestResponse response = client.get("/stream?n=3&delayMs=10").send();

    assertEquals("chunk 0\nchunk 1\nchunk 2\n", response.bodyAsText());
  }

  @Test
  void streamStopsWhenTheClientLeaves(TestClient client) throws Exception {
    // Closing the response after the first line cancels the request; the leak gate then checks
    // that the application finished instead of writing its remaining lines for minutes.
    try (TestResponse response = client.get("/stream?n=1000&delayMs=10000").send()) {
      InputStream body = response.bodyStream();

      assertEquals("chunk 0\n", new String(body.readNBytes(8), UTF_8));
    }
  }

  @Test
  void fileIsServedWithValidators(TestClient client) throws Exception {
    TestResponse response = client.get("/files/data.json").send();

    assertEquals(200, response.status());
    assertEquals("application/json", response.header("Content-Type"));
    assertTrue(response.header("ETag") != null && response.header("Last-Modified") != null);
    assertArrayEquals(Files.readAllBytes(SAMPLES.resolve("data.json")), response.bodyAsBytes());
  }

  @Test
  void singleRangeIs206(TestClient client) {
    TestResponse response = client.get("/files/hello.txt").header("Range", "bytes=0-4").send();

    assertEquals(206, response.status());
    assertTrue(response.header("Content-Range").startsWith("bytes 0-4/"));
    assertEquals("Hello", response.bodyAsText());
  }
}
