package io.owin4j.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Responses that stream, on both hosts, with the linter turned off: what a user who opts out of
 * it gets must work the same.
 */
@OwinHostTest(lint = false)
@Timeout(30)
class BothHostsStreamingTest {
  private static final Map<String, CountDownLatch> FIRST_CHUNK_READ = new ConcurrentHashMap<>();
  static final IllegalStateException LATE_BOOM = new IllegalStateException("late boom");

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.map("/stream", branch -> branch.run(BothHostsStreamingTest::stream))
            .run(
                env -> {
                  OwinContext context = OwinContext.of(env);
                  context.writeText("partial");
                  context.responseBody().flush();
                  throw LATE_BOOM;
                });
  }

  private static CompletionStage<Void> stream(Map<String, Object> env) throws Exception {
    OwinContext context = OwinContext.of(env);
    CountDownLatch gate = FIRST_CHUNK_READ.get(context.query("gate"));
    OutputStream body = context.responseBody();
    body.write("first;".getBytes(UTF_8));
    body.flush();
    if (!gate.await(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never read the first chunk");
    }
    body.write("second".getBytes(UTF_8));
    return CompletableFuture.completedFuture(null);
  }

  @Test
  void firstChunkArrivesBeforeTheApplicationFinishes(TestClient client) throws Exception {
    String gate = Long.toString(System.nanoTime());
    FIRST_CHUNK_READ.put(gate, new CountDownLatch(1));
    try (TestResponse response = client.get("/stream").query("gate", gate).send()) {
      InputStream body = response.bodyStream();

      assertEquals("first;", new String(body.readNBytes(6), UTF_8));
      FIRST_CHUNK_READ.get(gate).countDown();
      assertEquals("second", new String(body.readAllBytes(), UTF_8));
    } finally {
      FIRST_CHUNK_READ.remove(gate);
    }
  }

  @Test
  void exceptionAfterTheResponseStartedIsThrownFromTheBodyRead(TestClient client) {
    TestResponse response = client.get("/").send();

    assertEquals(200, response.status());
    assertSame(LATE_BOOM, assertThrows(IllegalStateException.class, response::bodyAsText));
  }
}
