package io.owin4j.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.HostKeys;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.core.OwinContext;
import io.owin4j.core.OwinLint;
import io.owin4j.core.OwinLintException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-memory host: what a request's environment holds and how responses reach the test. */
@Timeout(20)
class InMemoryHostTest {
  private static final Duration GRACE = Duration.ofSeconds(2);

  /** An application that answers with what {@code handler} writes, as text. */
  private static AppFunc text(java.util.function.Function<OwinContext, String> handler) {
    return env -> {
      OwinContext context = OwinContext.of(env);
      return context.writeTextAsync(handler.apply(context));
    };
  }

  @Test
  void requestWithoutHostHeaderGetsLocalhost() {
    try (TestServer server = TestServer.create(text(c -> c.requestHeader("Host")))) {
      assertEquals("localhost", server.get("/").send().bodyAsText());
    }
  }

  @Test
  void hostHeaderTheTestSentIsKept() {
    try (TestServer server = TestServer.create(text(c -> c.requestHeader("Host")))) {
      assertEquals(
          "example.test", server.get("/").header("Host", "example.test").send().bodyAsText());
    }
  }

  @Test
  void everyRequestGetsItsOwnRequestId() {
    try (TestServer server =
        TestServer.create(text(c -> c.get(OwinKeys.REQUEST_ID, String.class)))) {
      String first = server.get("/").send().bodyAsText();
      String second = server.get("/").send().bodyAsText();
      assertFalse(first.isEmpty());
      assertNotEquals(first, second);
    }
  }

  @Test
  void pathIsDecodedAndQueryStaysEncoded() {
    try (TestServer server =
        TestServer.create(text(c -> c.path() + "|" + c.queryString() + "|" + c.query("q")))) {
      String body = server.get("/a%20b").query("q", "x y&z").send().bodyAsText();
      assertEquals("/a b|q=x+y%26z|x y&z", body);
    }
  }

  @Test
  void requestBodyBytesArriveWithContentLength() {
    try (TestServer server =
        TestServer.create(
            text(
                c -> {
                  try {
                    return c.requestHeader("Content-Length") + ":" + c.readBodyAsText();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }))) {
      assertEquals("5:hello", server.post("/").body("hello", "text/plain").send().bodyAsText());
    }
  }

  @Test
  void requestBodyStreamArrivesChunked() {
    try (TestServer server =
        TestServer.create(
            text(
                c -> {
                  try {
                    return c.requestHeader("Transfer-Encoding") + ":" + c.readBodyAsText();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }))) {
      InputStream body = new ByteArrayInputStream("streamed".getBytes(UTF_8));
      assertEquals(
          "chunked:streamed", server.post("/").body(body, "text/plain").send().bodyAsText());
    }
  }

  @Test
  void onSendingHeadersCallbacksRunLastRegisteredFirst() {
    AppFunc app =
        env -> {
          OwinContext context = OwinContext.of(env);
          context.onSendingHeaders(() -> context.addResponseHeader("X-Order", "first"));
          context.onSendingHeaders(() -> context.addResponseHeader("X-Order", "second"));
          return context.writeTextAsync("body");
        };
    try (TestServer server = TestServer.create(app)) {
      assertEquals(List.of("second", "first"), server.get("/").send().headers().get("x-order"));
    }
  }

  @Test
  void onSendingHeadersRunWhenTheAppNeverWrites() {
    AppFunc app =
        env -> {
          OwinContext context = OwinContext.of(env);
          context.onSendingHeaders(() -> context.setStatusCode(204));
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app)) {
      assertEquals(204, server.get("/").send().status());
    }
  }

  @Test
  void testReadsFirstChunkBeforeTheAppFinishes() throws Exception {
    CountDownLatch firstChunkRead = new CountDownLatch(1);
    AppFunc app =
        env -> {
          OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
          body.write("first".getBytes(UTF_8));
          body.flush();
          assertTrue(firstChunkRead.await(10, TimeUnit.SECONDS));
          body.write("second".getBytes(UTF_8));
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app)) {
      InputStream body = server.get("/").send().bodyStream();
      assertEquals("first", new String(body.readNBytes(5), UTF_8));
      firstChunkRead.countDown();
      assertEquals("second", new String(body.readAllBytes(), UTF_8));
    }
  }

  @Test
  void appWritesNoFurtherAheadOfTheTestThanTheBuffer() throws Exception {
    int bufferSize = 64;
    AtomicInteger written = new AtomicInteger();
    AppFunc app =
        env -> {
          OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
          for (int i = 0; i < 10 * bufferSize; i++) {
            body.write('x');
            written.incrementAndGet();
          }
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.builder().app(app).bufferSize(bufferSize).start()) {
      InputStream body = server.get("/").send().bodyStream();
      for (int read = 1; body.read() >= 0; read++) {
        assertTrue(
            written.get() <= read + bufferSize,
            "the app wrote " + written.get() + " bytes when the test had read " + read);
      }
      assertEquals(10 * bufferSize, written.get());
    }
  }

  @Test
  void closingTheResponseEarlyFiresCallCancelled() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    AppFunc app =
        env -> {
          ((CancellationToken) env.get(OwinKeys.CALL_CANCELLED)).register(cancelled::countDown);
          OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
          body.write('x');
          body.flush();
          return CompletableFuture.runAsync(
              () -> {
                try {
                  cancelled.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
        };
    try (TestServer server = TestServer.create(app)) {
      TestResponse response = server.get("/").send();
      response.close();
      assertTrue(cancelled.await(10, TimeUnit.SECONDS));
      server.assertIdle(GRACE);
    }
  }

  @Test
  void cancellingSendAsyncFiresCallCancelled() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    CompletableFuture<Void> never = new CompletableFuture<>();
    AppFunc app =
        env -> {
          ((CancellationToken) env.get(OwinKeys.CALL_CANCELLED))
              .register(
                  () -> {
                    cancelled.countDown();
                    never.complete(null);
                  });
          return never;
        };
    try (TestServer server = TestServer.create(app)) {
      CompletableFuture<TestResponse> call = server.get("/").sendAsync();
      call.cancel(true);
      assertTrue(cancelled.await(10, TimeUnit.SECONDS));
      server.assertIdle(GRACE);
    }
  }

  @Test
  void writingAfterTheResponseCompletedFailsLoudly() {
    AtomicReference<OutputStream> kept = new AtomicReference<>();
    AppFunc app =
        env -> {
          kept.set((OutputStream) env.get(OwinKeys.RESPONSE_BODY));
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app)) {
      server.get("/").send().bodyAsText();
      server.assertIdle(GRACE);
      assertThrows(IOException.class, () -> kept.get().write('x'));
    }
  }

  @Test
  void exceptionBeforeTheResponseStartedIsThrownFromSend() {
    IllegalStateException boom = new IllegalStateException("boom");
    try (TestServer server =
        TestServer.create(
            env -> {
              throw boom;
            })) {
      assertSame(boom, assertThrows(IllegalStateException.class, () -> server.get("/").send()));
    }
  }

  @Test
  void checkedExceptionArrivesInsideCompletionException() {
    IOException boom = new IOException("disk full");
    try (TestServer server = TestServer.create(env -> CompletableFuture.failedFuture(boom))) {
      CompletionException thrown =
          assertThrows(CompletionException.class, () -> server.get("/").send());
      assertSame(boom, thrown.getCause());
    }
  }

  @Test
  void exceptionAfterTheResponseStartedIsThrownFromTheBodyRead() {
    IllegalStateException boom = new IllegalStateException("late boom");
    AppFunc app =
        env -> {
          OwinContext.of(env).writeText("partial");
          ((OutputStream) env.get(OwinKeys.RESPONSE_BODY)).flush();
          throw boom;
        };
    try (TestServer server = TestServer.create(app)) {
      TestResponse response = server.get("/").send();
      assertEquals(200, response.status());
      assertSame(boom, assertThrows(IllegalStateException.class, response::bodyAsText));
    }
  }

  @Test
  void exceptionAsksForA500WhenPropagationIsOff() {
    AppFunc app =
        env -> {
          OwinContext.of(env).setResponseHeader("X-Secret", "leaked?");
          throw new IllegalStateException("boom");
        };
    try (TestServer server = TestServer.builder().app(app).propagateExceptions(false).start()) {
      TestResponse response = server.get("/").send();
      assertEquals(500, response.status());
      assertTrue(response.headers().isEmpty());
      assertEquals("", response.bodyAsText());
    }
  }

  @Test
  void exceptionAfterStartAbortsTheBodyWhenPropagationIsOff() {
    AppFunc app =
        env -> {
          OwinContext.of(env).writeText("partial");
          throw new IllegalStateException("boom");
        };
    try (TestServer server = TestServer.builder().app(app).propagateExceptions(false).start()) {
      TestResponse response = server.get("/").send();
      assertEquals(200, response.status());
      assertInstanceOf(
          IOException.class,
          assertThrows(UncheckedIOException.class, response::bodyAsText).getCause());
    }
  }

  @Test
  void linterFailsARequestThatBreaksTheContractNamingTheRule() {
    try (TestServer server = TestServer.create(env -> null)) {
      OwinLintException thrown =
          assertThrows(OwinLintException.class, () -> server.get("/").send());
      assertEquals(OwinLint.APP_STAGE_NULL, thrown.violations().get(0).rule());
    }
  }

  @Test
  void linterCanBeTurnedOff() {
    try (TestServer server = TestServer.builder().app(env -> null).lint(false).start()) {
      assertThrows(NullPointerException.class, () -> server.get("/").send());
    }
  }

  @Test
  void startupPropertiesOfferEveryExtensionAndTheAddress() {
    try (TestServer server = TestServer.create(env -> CompletableFuture.completedFuture(null))) {
      Map<String, Object> properties = server.properties();
      assertEquals(
          Map.of(
              WebSocketKeys.VERSION, "1.0", SendFileKeys.VERSION, "1.0", OpaqueKeys.VERSION, "1.0"),
          properties.get(ServerKeys.CAPABILITIES));
      assertEquals(
          List.of(Map.of("scheme", "http", "host", "localhost", "port", "80", "path", "")),
          properties.get(HostKeys.ADDRESSES));
      assertEquals(OwinKeys.VERSION_VALUE, properties.get(OwinKeys.VERSION));
    }
  }

  @Test
  void requestsSeeTheSameCapabilitiesAsTheStartupProperties() {
    AtomicReference<Object> seen = new AtomicReference<>();
    try (TestServer server =
        TestServer.create(
            env -> {
              seen.set(env.get(ServerKeys.CAPABILITIES));
              return CompletableFuture.completedFuture(null);
            })) {
      server.get("/").send().close();
      assertSame(server.properties().get(ServerKeys.CAPABILITIES), seen.get());
    }
  }

  @Test
  void closeFiresOnAppDisposing() {
    TestServer server = TestServer.create(env -> CompletableFuture.completedFuture(null));
    CancellationToken disposing =
        (CancellationToken) server.properties().get(HostKeys.ON_APP_DISPOSING);
    assertFalse(disposing.isCancellationRequested());
    server.close();
    assertTrue(disposing.isCancellationRequested());
  }

  @Test
  void closeCancelsRequestsStillRunning() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    AppFunc app =
        env -> {
          ((CancellationToken) env.get(OwinKeys.CALL_CANCELLED)).register(cancelled::countDown);
          return new CompletableFuture<>();
        };
    TestServer server = TestServer.create(app);
    server.get("/").sendAsync();
    server.close();
    assertTrue(cancelled.await(10, TimeUnit.SECONDS));
  }

  @Test
  void sendingAfterCloseFails() {
    TestServer server = TestServer.create(env -> CompletableFuture.completedFuture(null));
    server.close();
    assertThrows(IllegalStateException.class, () -> server.get("/").send());
  }

  @Test
  void leakGateNamesTheRequestStillRunning() {
    try (TestServer server = TestServer.create(env -> new CompletableFuture<>())) {
      server.get("/stuck").sendAsync();
      AssertionError leak =
          assertThrows(AssertionError.class, () -> server.assertIdle(Duration.ofMillis(50)));
      assertTrue(leak.getMessage().contains("GET /stuck"), leak.getMessage());
      assertEquals(1, leak.getSuppressed().length);
    }
  }

  @Test
  void sendTimesOutWhenTheResponseNeverStarts() {
    try (TestServer server = TestServer.create(env -> new CompletableFuture<>())) {
      TestTimeoutException timeout =
          assertThrows(
              TestTimeoutException.class,
              () -> server.get("/slow").timeout(Duration.ofMillis(50)).send());
      assertTrue(timeout.getMessage().contains("GET /slow"), timeout.getMessage());
    }
  }

  @Test
  void bodyCanBeReadWholeTwice() {
    try (TestServer server = TestServer.create(text(c -> "twice"))) {
      TestResponse response = server.get("/").send();
      assertArrayEquals(response.bodyAsBytes(), response.bodyAsBytes());
      assertEquals("twice", response.bodyAsText());
    }
  }

  @Test
  void bodyTakenAsStreamCannotBeReadWhole() {
    try (TestServer server = TestServer.create(text(c -> "once"))) {
      TestResponse response = server.get("/").send();
      response.bodyStream();
      assertThrows(IllegalStateException.class, response::bodyAsText);
    }
  }

  @Test
  void bodyIsDecodedWithTheCharsetOfItsContentType() {
    AppFunc app =
        env -> {
          OwinContext context = OwinContext.of(env);
          context.setContentType("text/plain; charset=ISO-8859-1");
          context.write("caf\u00e9".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app)) {
      assertEquals("caf\u00e9", server.get("/").send().bodyAsText());
    }
  }

  @Test
  void responseHeadersCompareIgnoringCase() {
    AppFunc app =
        env -> {
          OwinContext.of(env).setResponseHeader("X-Custom", "value");
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app)) {
      TestResponse response = server.get("/").send();
      assertEquals("value", response.header("x-custom"));
      assertNull(response.header("X-Absent"));
      assertEquals("HTTP/1.1", response.protocol());
    }
  }

  @Test
  void sendAsyncFailsWithTheApplicationsOwnException() {
    IllegalArgumentException boom = new IllegalArgumentException("bad");
    try (TestServer server =
        TestServer.create(
            env -> {
              throw boom;
            })) {
      ExecutionException thrown =
          assertThrows(ExecutionException.class, () -> server.get("/").sendAsync().get());
      assertSame(boom, thrown.getCause());
    }
  }

  @Test
  void bodyCanBeReadInAContinuationOfSendAsync() throws Exception {
    AppFunc app =
        env -> {
          OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
          body.write("one ".getBytes(UTF_8));
          body.write("two".getBytes(UTF_8));
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app)) {
      assertEquals(
          "one two", server.get("/").sendAsync().thenApply(TestResponse::bodyAsText).get());
    }
  }

  @Test
  void aRequestIsSentOnce() {
    try (TestServer server = TestServer.create(text(c -> "x"))) {
      TestRequest request = server.get("/");
      request.send().close();
      assertThrows(IllegalStateException.class, request::send);
    }
  }

  @Test
  void httpClientIsNotOfferedInMemory() {
    try (TestServer server = TestServer.create(text(c -> "x"))) {
      assertThrows(UnsupportedOperationException.class, server::httpClient);
      assertEquals(HostMode.IN_MEMORY, server.mode());
    }
  }
}
