package io.owin4j.middleware.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.util.ConcurrentModificationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@OwinHostTest
@Timeout(30)
class ErrorHandlingTest {
  static final IllegalStateException SECRET_FAILURE =
      new IllegalStateException("<script>db password is hunter2</script>");

  private LogCapture log;

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.map(
                "/dev",
                dev ->
                    dev.use(ErrorHandling.builder().developerPage(true).build())
                        .run(
                            env -> {
                              throw SECRET_FAILURE;
                            }))
            .use(
                ErrorHandling.builder()
                    .status(ConcurrentModificationException.class, 409)
                    .build())
            .map(
                "/throw",
                b ->
                    b.run(
                        env -> {
                          OwinContext.of(env)
                              .setResponseHeader("X-Secret", "s3cret")
                              .setReasonPhrase("Fine");
                          throw SECRET_FAILURE;
                        }))
            .map("/failed-stage", b -> b.run(env -> CompletableFuture.failedFuture(SECRET_FAILURE)))
            .map(
                "/text",
                b -> b.run(env -> OwinContext.of(env).writeTextAsync(OwinContext.of(env).readBodyAsText())))
            .map(
                "/gone",
                b ->
                    b.run(
                        env -> {
                          throw new HttpStatusException(410, "the order <1> was cancelled");
                        }))
            .map(
                "/conflict",
                b ->
                    b.run(
                        env -> {
                          throw new ConcurrentModificationException("edited meanwhile");
                        }))
            .run(env -> OwinContext.of(env).writeTextAsync("fine"));
  }

  @BeforeEach
  void captureLog() {
    log = new LogCapture(ErrorHandling.class.getName());
  }

  @AfterEach
  void restoreLog() {
    log.close();
  }

  @Test
  void throwBeforeTheResponseStartedBecomesAPlain500WithCleanHeaders(TestClient client) {
    TestResponse response = client.get("/throw").send();

    assertEquals(500, response.status());
    assertEquals(ErrorHandling.BODY, response.bodyAsText());
    assertEquals("text/plain; charset=utf-8", response.header("Content-Type"));
    assertEquals("21", response.header("Content-Length"));
    assertNull(response.header("X-Secret"));
    assertNotEquals("Fine", response.reason(), "the reason phrase set before the failure is dropped");
    assertFalse(response.bodyAsText().contains("hunter2"));
  }

  @Test
  void failedStageBeforeTheResponseStartedBecomesA500(TestClient client) {
    TestResponse response = client.get("/failed-stage").send();

    assertEquals(500, response.status());
    assertEquals(ErrorHandling.BODY, response.bodyAsText());
  }

  @Test
  void failureIsLoggedWithTheRequestAndTheException(TestClient client) {
    client.get("/throw").send();

    assertEquals(1, log.records.size());
    LogRecord record = log.records.get(0);
    assertEquals(Level.SEVERE, record.getLevel());
    assertTrue(
        record.getMessage().matches("request \\S+ GET /throw failed; answering 500"),
        record.getMessage());
    assertSame(SECRET_FAILURE, record.getThrown());
  }

  @Test
  void developerPageShowsTheStackTraceHtmlEscaped(TestClient client) {
    TestResponse response = client.get("/dev/x").send();

    assertEquals(500, response.status());
    assertEquals("text/html; charset=utf-8", response.header("Content-Type"));
    String html = response.bodyAsText();
    assertTrue(
        html.contains("java.lang.IllegalStateException: &lt;script&gt;db password is hunter2"),
        html);
    assertTrue(html.contains("at io.owin4j.middleware.errors.ErrorHandlingTest"), html);
    assertFalse(html.contains("<script>"), html);
  }

  @Test
  void bodyThatIsNotValidUtf8Is400(TestClient client) {
    TestResponse response =
        client
            .post("/text")
            .body(new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28}, "text/plain; charset=utf-8")
            .send();

    assertEquals(400, response.status());
    assertEquals(
        "Bad Request: the request body is not valid UTF-8 text\n", response.bodyAsText());
    assertEquals(Level.INFO, log.records.get(0).getLevel());
  }

  @Test
  void validBodyIsReadAsText(TestClient client) {
    assertEquals("héllo", client.post("/text").body("héllo", "text/plain").send().bodyAsText());
  }

  @Test
  void httpStatusExceptionAnswersItsStatusAndMessage(TestClient client) {
    TestResponse response = client.get("/gone").send();

    assertEquals(410, response.status());
    assertEquals("Client Error: the order <1> was cancelled\n", response.bodyAsText());
    assertEquals("text/plain; charset=utf-8", response.header("Content-Type"));
  }

  @Test
  void mappedExceptionTypeAnswersItsStatus(TestClient client) {
    TestResponse response = client.get("/conflict").send();

    assertEquals(409, response.status());
    assertEquals("Conflict: the request was refused\n", response.bodyAsText());
  }

  @Test
  void headGetsThe500WithoutBody(TestClient client) {
    TestResponse response = client.method("HEAD", "/throw").send();

    assertEquals(500, response.status());
    assertEquals(0, response.bodyAsBytes().length);
  }

  @Test
  void successPassesThroughUntouched(TestClient client) {
    TestResponse response = client.get("/").send();

    assertEquals(200, response.status());
    assertEquals("fine", response.bodyAsText());
    assertTrue(log.records.isEmpty());
  }

  @Test
  void statusOutsideTheErrorRangeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new HttpStatusException(302, "x"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ErrorHandling.builder().status(RuntimeException.class, 200));
  }

}
