package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import java.io.InputStream;
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

  /** Waits on the token until cancelled or released, after reading the whole body. */
  private final AppFunc waiting =
      env -> {
        ((InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes();
        CancellationToken token = (CancellationToken) env.get(OwinKeys.CALL_CANCELLED);
        token.register(cancelled::countDown);
        arrived.countDown();
        return release;
      };

  @Test
  void firesWithinASecondWhenTheClientDisconnectsMidRequest() throws Exception {
    try (OwinServer server = Servers.start(waiting)) {
      RawClient client = new RawClient(server.port());
      client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(arrived.await(10, TimeUnit.SECONDS));

      client.close();

      assertTrue(cancelled.await(1, TimeUnit.SECONDS), "cancelled within a second");
      release.complete(null);
    }
  }

  @Test
  void firesWhenTheClientDisconnectsAfterSendingABody() throws Exception {
    try (OwinServer server = Servers.start(waiting)) {
      RawClient client = new RawClient(server.port());
      client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
      assertTrue(arrived.await(10, TimeUnit.SECONDS));

      client.close();

      assertTrue(cancelled.await(1, TimeUnit.SECONDS), "cancelled within a second");
      release.complete(null);
    }
  }

  @Test
  void firesOnTheIoThreadDispatchToo() throws Exception {
    AppFunc nonBlocking =
        env -> {
          ((CancellationToken) env.get(OwinKeys.CALL_CANCELLED)).register(cancelled::countDown);
          arrived.countDown();
          return release;
        };
    try (OwinServer server =
        Servers.start(nonBlocking, builder -> builder.dispatch(Dispatch.IO_THREAD))) {
      RawClient client = new RawClient(server.port());
      client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(arrived.await(10, TimeUnit.SECONDS));

      client.close();

      assertTrue(cancelled.await(1, TimeUnit.SECONDS), "cancelled within a second");
      release.complete(null);
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
