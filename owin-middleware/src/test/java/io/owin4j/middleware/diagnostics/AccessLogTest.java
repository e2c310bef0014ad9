package io.owin4j.middleware.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.middleware.staticfiles.StaticFiles;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@OwinHostTest
@Timeout(30)
class AccessLogTest {
  static final BlockingQueue<String> LINES = new LinkedBlockingQueue<>();
  static final Path FILES;

  static {
    try {
      FILES = Files.createTempDirectory("access-log-test");
      Files.writeString(FILES.resolve("seven.txt"), "1234567");
      FILES.toFile().deleteOnExit();
      FILES.resolve("seven.txt").toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.map(
                "/common",
                b ->
                    b.use(AccessLog.to(AccessLog.Format.COMMON, LINES::add))
                        .run(
                            env ->
                                OwinContext.of(env).setStatusCode(201).writeTextAsync("created")))
            .map(
                "/logger",
                b ->
                    b.use(AccessLog.create(AccessLog.Format.COMMON))
                        .run(env -> OwinContext.of(env).writeTextAsync("logged")))
            .use(AccessLog.to(AccessLog.Format.COMBINED, LINES::add))
            .map("/files", b -> b.run(StaticFiles.fromDirectory(FILES).build()))
            .run(
                env -> {
                  OwinContext context = OwinContext.of(env);
                  context.setStatusCode(404);
                  return context.writeTextAsync("nothing here");
                });
  }

  @BeforeEach
  void forget() {
    LINES.clear();
  }

  private static String nextLine() throws InterruptedException {
    String line = LINES.poll(10, TimeUnit.SECONDS);
    assertTrue(line != null, "no access log line");
    return line;
  }

  @Test
  void commonFormatHasTheStatusAndBytesKnownOnlyAtTheEnd(TestClient client) throws Exception {
    client.post("/common/items").query("a", "1").body("x", "text/plain").send();

    String line = nextLine();
    assertTrue(
        line.matches(
            "\\S+ - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\]"
                + " \"POST /common/items\\?a=1 HTTP/1\\.1\" 201 7"),
        line);
  }

  @Test
  void combinedFormatAddsRefererAndUserAgentEscaped(TestClient client) throws Exception {
    client
        .get("/missing")
        .header("Referer", "http://example.com/\"quoted\"")
        .header("User-Agent", "probe/1.0")
        .send();

    String line = nextLine();
    assertTrue(
        line.endsWith(
            "\"GET /missing HTTP/1.1\" 404 12 \"http://example.com/\\\"quoted\\\"\" \"probe/1.0\""),
        line);
  }

  @Test
  void sendfileBytesAreCounted(TestClient client) throws Exception {
    TestResponse response = client.get("/files/seven.txt").send();

    assertEquals("1234567", response.bodyAsText());
    assertTrue(nextLine().contains("\"GET /files/seven.txt HTTP/1.1\" 200 7 "));
  }

  @Test
  void notModifiedHasNoBytes(TestClient client) throws Exception {
    String etag = client.get("/files/seven.txt").send().header("ETag");
    nextLine();

    client.get("/files/seven.txt").header("If-None-Match", etag).send();

    assertTrue(nextLine().contains("\" 304 - "));
  }

  @Test
  void linesGoToTheAccessLogger(TestClient client) throws Exception {
    Logger logger = Logger.getLogger(AccessLog.LOGGER_NAME);
    BlockingQueue<LogRecord> records = new LinkedBlockingQueue<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    boolean parents = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false);
    logger.addHandler(handler);
    try {
      client.get("/logger").send();

      LogRecord record = records.poll(10, TimeUnit.SECONDS);
      assertTrue(record != null, "no record");
      assertEquals(java.util.logging.Level.INFO, record.getLevel());
      assertTrue(record.getMessage().endsWith("\"GET /logger HTTP/1.1\" 200 6"), record.getMessage());
    } finally {
      logger.removeHandler(handler);
      logger.setUseParentHandlers(parents);
    }
  }

  @Test
  void controlCharactersAreEscaped() {
    assertEquals("a\\x0ab\\\\c\\\"", AccessLog.escape("a\nb\\c\""));
  }

}
