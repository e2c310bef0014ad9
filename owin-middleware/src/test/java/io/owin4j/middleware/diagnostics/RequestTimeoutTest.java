package io.owin4j.middleware.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.CancellationToken;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@OwinHostTest
@Timeout(30)
class RequestTimeoutTest {
  /** What the application saw after the limit: the cancellation, then its late write's failure. */
  static final BlockingQueue<Object> SEEN = new LinkedBlockingQueue<>();

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.use(RequestTimeout.of(Duration.ofMillis(200)))
            .map(
                "/slow",
                b ->
                    b.run(
                        env -> {
                          OwinContext context = OwinContext.of(env);
                          CancellationToken token = context.callCancelled();
                          CountDownLatch cancelled = new CountDownLatch(1);
                          token.register(cancelled::countDown);
                          if (!cancelled.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("owin.CallCancelled never fired");
                          }
                          SEEN.add("cancelled");
                          try {
                            context.write("late".getBytes(StandardCharsets.UTF_8));
                            SEEN.add("late write went through");
                          } catch (IOException e) {
                            SEEN.add(e);
                          }
                          return CompletableFuture.completedFuture(null);
                        }))
            .map(
                "/started",
                b ->
                    b.run(
                        env -> {
                          OwinContext context = OwinContext.of(env);
                          context.write("started\n".getBytes(StandardCharsets.UTF_8));
                          context.responseBody().flush();
                          CompletableFuture<Void> done = new CompletableFuture<>();
                          context
                              .callCancelled()
                              .register(
                                  () -> {
                                    SEEN.add("cancelled after start");
                                    done.complete(null);
                                  });
                          return done;
                        }))
            .run(env -> OwinContext.of(env).writeTextAsync("quick"));
  }

  @BeforeEach
  void forget() {
    SEEN.clear();
  }

  @Test
  void quickRequestIsUntouched(TestClient client) {
    TestResponse response = client.get("/").send();

    assertEquals(200, response.status());
    assertEquals("quick", response.bodyAsText());
  }

  @Test
  void slowRequestGets503AndTheApplicationSeesCallCancelled(TestClient client) throws Exception {
    TestResponse response = client.get("/slow").send();

    assertEquals(503, response.status());
    assertEquals(
        "Service Unavailable: the request took longer than PT0.2S\n", response.bodyAsText());
    assertEquals("cancelled", SEEN.poll(10, TimeUnit.SECONDS));
    Object late = SEEN.poll(10, TimeUnit.SECONDS);
    assertTrue(late instanceof IOException, String.valueOf(late));
  }

  @Test
  void startedResponseIsOnlyCancelled(TestClient client) throws Exception {
    TestResponse response = client.get("/started").send();

    assertEquals(200, response.status());
    assertEquals("started\n", response.bodyAsText());
    assertSame("cancelled after start", SEEN.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void limitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> RequestTimeout.of(Duration.ZERO));
  }
}
