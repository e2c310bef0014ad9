package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorHandlingTest {
  private final Logger logger = Logger.getLogger(ErrorHandling.class.getName());
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture =
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
  private boolean useParentHandlers;

  @BeforeEach
  void captureLog() {
    useParentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false); // keep expected failures out of the build output
    logger.addHandler(capture);
  }

  @AfterEach
  void restoreLog() {
    logger.removeHandler(capture);
    logger.setUseParentHandlers(useParentHandlers);
  }

  @Test
  void throwBeforeTheResponseStartedBecomesAPlain500() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/boom");
    AppFunc app =
        new ErrorHandling()
            .apply(
                env -> {
                  Env.setHeader(env, "X-Secret", "must not leak");
                  env.put(OwinKeys.RESPONSE_REASON_PHRASE, "Fine");
                  throw new IllegalStateException("secret detail");
                });

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals(500, exchange.status());
    assertEquals("Internal Server Error", exchange.bodyText());
    assertEquals("text/plain; charset=utf-8", exchange.responseHeader("Content-Type"));
    assertEquals("21", exchange.responseHeader("Content-Length"));
    assertNull(exchange.responseHeader("X-Secret"));
    assertNull(exchange.env.get(OwinKeys.RESPONSE_REASON_PHRASE));
  }

  @Test
  void failedStageBeforeTheResponseStartedBecomesA500() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/boom");
    AppFunc app =
        new ErrorHandling()
            .apply(env -> CompletableFuture.failedFuture(new IllegalStateException("async")));

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals(500, exchange.status());
    assertEquals("Internal Server Error", exchange.bodyText());
  }

  @Test
  void failureIsLoggedWithTheRequestIdAndTheException() throws Exception {
    IllegalStateException failure = new IllegalStateException("boom");
    TestExchange exchange =
        TestExchange.request("GET", "/boom").with(OwinKeys.REQUEST_ID, "req-42");
    AppFunc app =
        new ErrorHandling()
            .apply(
                env -> {
                  throw failure;
                });

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals(1, records.size());
    LogRecord record = records.get(0);
    assertEquals(Level.SEVERE, record.getLevel());
    assertTrue(record.getMessage().contains("request req-42 GET /boom"), record.getMessage());
    assertSame(failure, record.getThrown());
  }

  @Test
  void requestWithoutIdIsLoggedWithAGeneratedOne() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/boom");

    new ErrorHandling().apply(new Boom()).invoke(exchange.env).toCompletableFuture().get();

    assertTrue(records.get(0).getMessage().contains("generated"), records.get(0).getMessage());
  }

  @Test
  void failureAfterTheResponseStartedFailsTheStageSoTheHostAborts() {
    IllegalStateException failure = new IllegalStateException("late");
    TestExchange exchange = TestExchange.request("GET", "/late");
    AppFunc app =
        new ErrorHandling()
            .apply(
                env -> {
                  Env.responseBody(env).write("partial".getBytes(StandardCharsets.UTF_8));
                  throw failure;
                });

    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> app.invoke(exchange.env).toCompletableFuture().get());

    assertSame(failure, e.getCause());
    assertEquals(200, exchange.status());
    assertEquals("partial", exchange.bodyText());
    assertEquals(1, records.size());
  }

  @Test
  void successPassesThroughUntouched() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/hello");

    new ErrorHandling().apply(new HelloApp()).invoke(exchange.env).toCompletableFuture().get();

    assertEquals(200, exchange.status());
    assertEquals("Hello World via OWIN", exchange.bodyText());
    assertTrue(records.isEmpty());
  }

  @Test
  void headGetsThe500WithoutBody() throws Exception {
    TestExchange exchange = TestExchange.request("HEAD", "/boom");

    new ErrorHandling().apply(new Boom()).invoke(exchange.env).toCompletableFuture().get();

    assertEquals(500, exchange.status());
    assertEquals("", exchange.bodyText());
  }
}
