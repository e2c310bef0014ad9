package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code owin.CallCancelled} fires when the client goes away, and only then. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CancellationTest {
  private final CountDownLatch arrived = new CountDownLatch(1);
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final CompletableFuture<Void> release = new CompletableFuture<>();

  /** Reads the whole body, then waits until the token is cancelled. */
  private final AppFunc waiting =
      env -> {
        ((InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes();
        CancellationToken token = (CancellationToken) env.get(OwinKeys.CALL_CANCELLED);
        token.register(
            () -> {
              cancelled.countDown();
              release.complete(null);
            });
        arrived.countDown();
        return release;
      };

  /** A server whose stop does not wait long for an application that was never cancelled. */
  private static OwinServer start(AppFunc app, Dispatch dispatch) {
    return Servers.start(
        app, builder -> builder.dispatch(dispatch).stopTimeout(Duration.ofMillis(100)));
  }

  @Test
  void firesWithinASecondWhenTheClientDisconnectsMidRequest() throws Exception {
    try (OwinServer server = start(waiting, Dispatch.WORKER)) {
      RawClient client = new RawClient(server.port());
      client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(arrived.await(10, TimeUnit.SECONDS));

      client.close();

      assertTrue(cancelled.await(1, TimeUnit.SECONDS), "cancelled within a second");
    }
  }

  @Test
  void firesWhenTheClientDisconnectsAfterSendingABody() throws Exception {
    try (OwinServer server = start(waiting, Dispatch.WORKER)) {
      RawClient client = new RawClient(server.port());
      client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
      assertTrue(arrived.await(10, TimeUnit.SECONDS));

      client.close();

      assertTrue(cancelled.await(1, TimeUnit.SECONDS), "cancelled within a second");
    }
  }

  @Test
  void firesOnTheIoThreadDispatchToo() throws Exception {
    AppFunc nonBlocking =
        env -> {
          ((CancellationToken) env.get(OwinKeys.CALL_CANCELLED))
              .register(
                  () -> {
                    cancelled.countDown();
                    release.complete(null);
                  });
          arrived.countDown();
          return release;
        };
    try (OwinServer server = start(nonBlocking, Dispatch.IO_THREAD)) {
      RawClient client = new RawClient(server.port());
      client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(arrived.await(10, TimeUnit.SECONDS));

      client.close();

      assertTrue(cancelled.await(1, TimeUnit.SECONDS), "cancelled within a second");
    }
  }

  @Test
  void firesWhenAnHttp2ConnectionCloses() throws Exception {
    String curl = Http2Test.onPath("curl");
    assumeTrue(curl != null, "curl is not installed; the JDK client cannot drop a connection");
    try (OwinServer server = start(waiting, Dispatch.WORKER)) {
      Process client =
          new ProcessBuilder(curl, "-sS", "--http2-prior-knowledge", server.uri().toString())
              .start();
      try {
        assertTrue(arrived.await(10, TimeUnit.SECONDS));
      } finally {
        client.destroy();
      }

      assertTrue(cancelled.await(1, TimeUnit.SECONDS), "cancelled within a second");
    }
  }

  @Test
  void doesNotFireForARequestThatCompletesNormally() throws Exception {
    AtomicReference<CancellationToken> token = new AtomicReference<>();
    AppFunc app =
        env -> {
          token.set((CancellationToken) env.get(OwinKeys.CALL_CANCELLED));
          write(env, "fine");
          return done();
        };
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      assertEquals("fine", client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText());
      assertEquals("fine", client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText());

      assertFalse(token.get().isCancellationRequested());
    }
  }

  @Test
  void pipelinedRequestWhileTheTokenIsWatchedIsStillServed() throws Exception {
    CompletableFuture<Void> firstMayFinish = new CompletableFuture<>();
    CountDownLatch firstArrived = new CountDownLatch(1);
    AppFunc app =
        env -> {
          ((CancellationToken) env.get(OwinKeys.CALL_CANCELLED)).register(cancelled::countDown);
          write(env, (String) env.get(OwinKeys.REQUEST_PATH));
          if ("/first".equals(env.get(OwinKeys.REQUEST_PATH))) {
            firstArrived.countDown();
            return firstMayFinish;
          }
          return done();
        };
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      client.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(firstArrived.await(10, TimeUnit.SECONDS));
      client.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
      // The second request's bytes arrive while the first is watched for a disconnect.
      Thread.sleep(200);
      firstMayFinish.complete(null);

      assertEquals("/first", client.read().bodyText());
      assertEquals("/second", client.read().bodyText());
      assertEquals(1, cancelled.getCount(), "not cancelled");
    }
  }
}
