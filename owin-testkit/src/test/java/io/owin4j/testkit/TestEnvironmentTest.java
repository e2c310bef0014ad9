package io.owin4j.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.core.OwinContext;
import io.owin4j.core.OwinLint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit-testing one middleware with {@link TestEnvironment} and a mocked {@code next}. */
class TestEnvironmentTest {
  private static final MidFunc POWERED_BY =
      next ->
          env -> {
            OwinContext.of(env).setResponseHeader("X-Powered-By", "Owin4J");
            return next.invoke(env);
          };

  private static AppFunc completingNext() throws Exception {
    AppFunc next = mock(AppFunc.class);
    when(next.invoke(any())).thenReturn(CompletableFuture.completedFuture(null));
    return next;
  }

  @Test
  void middlewareCallsNextWithTheEnvironment() throws Exception {
    AppFunc next = completingNext();
    TestEnvironment exchange = TestEnvironment.get("/items").build();

    exchange.run(POWERED_BY.apply(next));

    verify(next).invoke(exchange.environment());
  }

  @Test
  void responseHeaderSetByTheMiddlewareIsReadableAfterwards() throws Exception {
    TestEnvironment exchange = TestEnvironment.get("/").build();

    exchange.run(POWERED_BY.apply(completingNext()));

    assertEquals("Owin4J", exchange.response().header("X-Powered-By"));
  }

  @Test
  void environmentPassesTheLinter() throws Exception {
    AppFunc next = completingNext();
    TestEnvironment exchange = TestEnvironment.post("/a%2Fb").query("q", "1").build();

    exchange.run(OwinLint.middleware().apply(next));

    verify(next).invoke(exchange.environment());
  }

  @Test
  void requestPartsAppearInTheEnvironment() throws IOException {
    TestEnvironment exchange =
        TestEnvironment.request("PATCH", "/a%20b")
            .query("q", "x y")
            .header("X-Test", "yes")
            .body("payload", "text/plain; charset=utf-8")
            .build();
    OwinContext context = exchange.context();

    assertEquals("PATCH", context.method());
    assertEquals("/a b", context.path());
    assertEquals("q=x+y", context.queryString());
    assertEquals("yes", context.requestHeader("x-test"));
    assertEquals("localhost", context.requestHeader("Host"));
    assertEquals("7", context.requestHeader("Content-Length"));
    assertEquals("payload", context.readBodyAsText());
  }

  @Test
  void bodyWrittenByTheMiddlewareIsCaptured() {
    TestEnvironment exchange = TestEnvironment.get("/").build();

    exchange.run(env -> OwinContext.of(env).writeTextAsync("written"));

    TestResponse response = exchange.response();
    assertEquals(200, response.status());
    assertEquals("written", response.bodyAsText());
  }

  @Test
  void onSendingHeadersRunWhenTheTestStartsTheResponse() {
    TestEnvironment exchange = TestEnvironment.get("/").build();
    OwinContext context = exchange.context();
    context.onSendingHeaders(() -> context.addResponseHeader("X-Order", "first"));
    context.onSendingHeaders(() -> context.addResponseHeader("X-Order", "second"));
    assertFalse(exchange.hasStarted());

    exchange.startResponse();

    assertTrue(exchange.hasStarted());
    assertEquals(List.of("second", "first"), exchange.response().headers().get("X-Order"));
  }

  @Test
  void shortCircuitingMiddlewareNeverCallsNext() throws Exception {
    AppFunc next = completingNext();
    MidFunc deny =
        n ->
            env -> {
              env.put(OwinKeys.RESPONSE_STATUS_CODE, 403);
              return CompletableFuture.completedFuture(null);
            };
    TestEnvironment exchange = TestEnvironment.get("/").build();

    exchange.run(deny.apply(next));

    verify(next, never()).invoke(any());
    assertEquals(403, exchange.response().status());
  }

  @Test
  void failureOfTheMiddlewareIsThrownFromRun() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    AppFunc next = mock(AppFunc.class);
    when(next.invoke(any())).thenThrow(boom);
    TestEnvironment exchange = TestEnvironment.get("/").build();

    assertSame(
        boom,
        assertThrows(IllegalStateException.class, () -> exchange.run(POWERED_BY.apply(next))));
  }

  @Test
  void writingAfterRunFails() {
    TestEnvironment exchange = TestEnvironment.get("/").build();
    exchange.run(env -> CompletableFuture.completedFuture(null));
    OutputStream body = (OutputStream) exchange.environment().get(OwinKeys.RESPONSE_BODY);

    assertThrows(IOException.class, () -> body.write('x'));
  }

  @Test
  void cancelFiresCallCancelled() {
    TestEnvironment exchange = TestEnvironment.get("/").build();
    AtomicBoolean cancelled = new AtomicBoolean();
    exchange.context().callCancelled().register(() -> cancelled.set(true));

    exchange.cancel();

    assertTrue(cancelled.get());
  }

  @Test
  void sendFileIsCopiedIntoTheCapturedBody(@TempDir Path directory) throws IOException {
    Path file = Files.writeString(directory.resolve("f.txt"), "file body", UTF_8);
    TestEnvironment exchange = TestEnvironment.get("/").build();

    exchange.run(
        env ->
            ((SendFileAsync) env.get(SendFileKeys.SEND_ASYNC))
                .sendFileAsync(file.toString(), 5, null, CancellationToken.NONE));

    assertEquals("body", exchange.response().bodyAsText());
  }

  @Test
  void invalidPathIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> TestEnvironment.get("no-slash"));
  }

  @Test
  void theEnvironmentShowsTheFeaturesUnderOwin4jFeatures() {
    TestEnvironment exchange = TestEnvironment.get("/items").build();

    FeatureCollection features = FeatureCollection.fromEnvironment(exchange.environment());

    assertSame(exchange.features(), features);
    assertEquals("/items", features.require(RequestFeature.class).path());
  }
}
