package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.OwinKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class StreamLinesTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final StreamLines app = new StreamLines(scheduler);

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  @Test
  void writesNLinesEachFlushedThenCompletes() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/stream").query("n=3&delayMs=1");

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals(200, exchange.status());
    assertEquals("text/plain; charset=utf-8", exchange.responseHeader("Content-Type"));
    assertEquals("chunk 0\nchunk 1\nchunk 2\n", exchange.bodyText());
    assertEquals(3, exchange.body.flushes());
  }

  @Test
  void missingParametersUseTheDefaults() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/stream").query("delayMs=0");

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals(StreamLines.DEFAULT_LINES, exchange.bodyText().lines().count());
  }

  @Test
  void zeroLinesAnswersAnEmptyBody() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/stream").query("n=0");

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals(200, exchange.status());
    assertEquals("", exchange.bodyText());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "n=abc",
        "n=-1",
        "n=1001",
        "n=",
        "n",
        "delayMs=10001",
        "delayMs=1.5",
        "n=1&n=2",
        "n=%zz"
      })
  void badParametersGet400(String query) throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/stream").query(query);

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals(400, exchange.status());
    assertTrue(exchange.bodyText().startsWith("Bad Request: "), exchange.bodyText());
  }

  @Test
  void badParameterMessageStatesTheRule() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> StreamLines.intParameter("n=abc", "n", 5, 1000));

    assertEquals("n must be an integer in [0, 1000], got \"abc\"", e.getMessage());
  }

  @Test
  void encodedParameterNamesAndValuesAreDecoded() {
    assertEquals(12, StreamLines.intParameter("x=1&%6e=%31%32", "n", 5, 1000));
  }

  @Test
  void cancellationStopsTheStreamAndCompletesTheStage() throws Exception {
    CountDownLatch firstLine = new CountDownLatch(1);
    TestExchange exchange = TestExchange.request("GET", "/stream").query("n=1000&delayMs=10000");
    exchange.with(OwinKeys.RESPONSE_BODY, signalling(exchange.body, firstLine));
    CompletableFuture<Void> stage = app.invoke(exchange.env).toCompletableFuture();
    firstLine.await();

    exchange.cancelled.cancel();

    stage.get(10, TimeUnit.SECONDS);
    assertEquals("chunk 0\n", exchange.bodyText());
  }

  @Test
  void alreadyCancelledRequestWritesNothing() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/stream").query("n=3&delayMs=0");
    exchange.cancelled.cancel();

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals("", exchange.bodyText());
  }

  @Test
  void failedWriteFailsTheStage() {
    IOException broken = new IOException("connection reset");
    TestExchange exchange = TestExchange.request("GET", "/stream").query("n=3&delayMs=0");
    exchange.with(
        OwinKeys.RESPONSE_BODY,
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw broken;
          }
        });

    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> app.invoke(exchange.env).toCompletableFuture().get());

    assertEquals(broken, e.getCause());
  }

  @Test
  void stoppedSchedulerFailsTheStage() throws Exception {
    scheduler.shutdown();
    TestExchange exchange = TestExchange.request("GET", "/stream").query("n=3");

    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> app.invoke(exchange.env).toCompletableFuture().get());

    assertInstanceOf(java.util.concurrent.RejectedExecutionException.class, e.getCause());
  }

  @Test
  void headAnswersHeadersOnly() throws Exception {
    TestExchange exchange = TestExchange.request("HEAD", "/stream").query("n=3");

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals(200, exchange.status());
    assertEquals("", exchange.bodyText());
  }

  @Test
  void postIsNotAllowed() throws Exception {
    TestExchange exchange = TestExchange.request("POST", "/stream");

    app.invoke(exchange.env);

    assertEquals(405, exchange.status());
  }

  private static OutputStream signalling(OutputStream target, CountDownLatch written) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
        written.countDown();
      }

      @Override
      public void flush() throws IOException {
        target.flush();
      }
    };
  }
}
