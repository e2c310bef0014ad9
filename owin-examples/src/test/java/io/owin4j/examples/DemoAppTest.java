package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.middleware.errors.ErrorHandling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class DemoAppTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Logger errorLog = Logger.getLogger(ErrorHandling.class.getName());
  @TempDir Path root;
  private AppFunc app;

  @BeforeEach
  void build() throws Exception {
    Files.writeString(root.resolve("note.txt"), "a note");
    app = DemoApp.create(root, scheduler);
  }

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
    errorLog.setUseParentHandlers(true);
  }

  private TestExchange run(String method, String path) throws Exception {
    TestExchange exchange = TestExchange.request(method, path);
    app.invoke(exchange.env).toCompletableFuture().get();
    return exchange;
  }

  @Test
  void rootIsTheIndexPage() throws Exception {
    TestExchange exchange = run("GET", "/");

    assertEquals("text/html; charset=utf-8", exchange.responseHeader("Content-Type"));
  }

  @Test
  void helloIsTheGreeting() throws Exception {
    assertEquals("Hello World via OWIN", run("GET", "/hello").bodyText());
  }

  @Test
  void envShowsTheUnmappedPath() throws Exception {
    assertTrue(run("GET", "/env").bodyText().contains("\"owin.RequestPath\": \"/env\""));
  }

  @Test
  void echoAnswersThePostedBody() throws Exception {
    TestExchange exchange =
        TestExchange.request("POST", "/echo").requestBody("abc".getBytes(StandardCharsets.UTF_8));

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals("abc", exchange.bodyText());
  }

  @Test
  void streamWritesTheLines() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/stream").query("n=2&delayMs=0");

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals("chunk 0\nchunk 1\n", exchange.bodyText());
  }

  @Test
  void boomBecomesAPlain500() throws Exception {
    errorLog.setUseParentHandlers(false); // the failure is expected; keep it out of the output

    TestExchange exchange = run("GET", "/boom");

    assertEquals(500, exchange.status());
    assertEquals("Internal Server Error", exchange.bodyText());
  }

  @Test
  void webSocketRouteWithoutHandshakeGets426() throws Exception {
    assertEquals(426, run("GET", "/ws/echo").status());
  }

  @Test
  void opaqueRouteWithoutUpgradeGets426() throws Exception {
    assertEquals(426, run("GET", "/opaque/echo").status());
  }

  @Test
  void filesAreServedBelowTheFilesPrefix() throws Exception {
    TestExchange exchange = run("GET", "/files/note.txt");

    assertEquals(200, exchange.status());
    assertEquals("a note", exchange.bodyText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nothing", "/hello/x", "/Hello", "/files", "/files/", "/files/none"})
  void unknownPathsGet404(String path) throws Exception {
    TestExchange exchange = run("GET", path);

    assertEquals(404, exchange.status());
    assertEquals("Not Found\n", exchange.bodyText());
  }
}
