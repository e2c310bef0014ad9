package io.owin4j.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.HostKeys;
import io.owin4j.api.OwinKeys;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerLifecycleTest {
  private static final AppFunc OK = env -> CompletableFuture.completedFuture(null);
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void portZeroPicksAFreePortReadableAfterStart() throws Exception {
    try (OwinServer server = OwinServer.builder().port(0).app(OK).build().start()) {
      assertNotEquals(0, server.port());
      assertEquals(200, get(server, "/").statusCode());
      assertEquals("http://127.0.0.1:" + server.port() + "/", server.uri().toString());
    }
  }

  @Test
  void portBeforeStartFails() {
    OwinServer server = OwinServer.builder().app(OK).build();

    assertThrows(IllegalStateException.class, server::port);
  }

  @Test
  void startingTwiceFails() {
    try (OwinServer server = OwinServer.builder().app(OK).build().start()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
      assertTrue(e.getMessage().contains("started"), e.getMessage());
    }
  }

  @Test
  void buildWithoutApplicationFails() {
    assertThrows(IllegalStateException.class, () -> OwinServer.builder().build());
  }

  @Test
  void clientAuthWithoutTlsFails() {
    assertThrows(
        IllegalStateException.class,
        () -> OwinServer.builder().app(OK).clientAuth(ClientAuth.REQUIRED).build());
  }

  @Test
  void badLimitsAreRejected() {
    OwinServer.Builder builder = OwinServer.builder();
    assertThrows(IllegalArgumentException.class, () -> builder.port(65536));
    assertThrows(IllegalArgumentException.class, () -> builder.maxHeaderSize(128 * 1024 * 1024));
    assertThrows(IllegalArgumentException.class, () -> builder.maxBodySize(0));
    assertThrows(IllegalArgumentException.class, () -> builder.idleTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> builder.responseBufferSize(-1));
  }

  @Test
  void startupPropertiesListTheBoundListener() throws Exception {
    AtomicReference<Object> addresses = new AtomicReference<>();
    try (OwinServer server =
        OwinServer.builder()
            .configure(
                app -> {
                  addresses.set(app.properties().get(HostKeys.ADDRESSES));
                  app.run(OK);
                })
            .build()
            .start()) {
      assertEquals(
          List.of(
              Map.of(
                  HostKeys.ADDRESS_SCHEME, "http",
                  HostKeys.ADDRESS_HOST, "127.0.0.1",
                  HostKeys.ADDRESS_PORT, Integer.toString(server.port()),
                  HostKeys.ADDRESS_PATH, "")),
          addresses.get());
    }
  }

  @Test
  void onAppDisposingFiresOnStop() {
    AtomicReference<CancellationToken> disposing = new AtomicReference<>();
    OwinServer server =
        OwinServer.builder()
            .configure(
                app -> {
                  disposing.set((CancellationToken) app.properties().get(HostKeys.ON_APP_DISPOSING));
                  app.run(OK);
                })
            .build()
            .start();
    assertFalse(disposing.get().isCancellationRequested());

    server.stop(Duration.ofSeconds(5));

    assertTrue(disposing.get().isCancellationRequested());
  }

  @Test
  void stopClosesTheListener() throws Exception {
    OwinServer server = OwinServer.builder().app(OK).build().start();

    assertTrue(server.stop(Duration.ofSeconds(5)));

    assertThrows(ConnectException.class, () -> get(server, "/"));
  }

  @Test
  void stopDrainsInFlightRequestsWhileNewOnesGet503() throws Exception {
    CountDownLatch slowArrived = new CountDownLatch(1);
    CompletableFuture<Void> slowMayFinish = new CompletableFuture<>();
    AppFunc app =
        env -> {
          if ("/slow".equals(env.get(OwinKeys.REQUEST_PATH))) {
            slowArrived.countDown();
            return slowMayFinish;
          }
          return CompletableFuture.completedFuture(null);
        };
    OwinServer server = OwinServer.builder().app(app).build().start();
    CompletableFuture<HttpResponse<String>> slow = getAsync(server, "/slow");
    assertTrue(slowArrived.await(10, TimeUnit.SECONDS));

    CompletableFuture<Boolean> stopped =
        CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(20)));
    HttpResponse<String> duringDrain = awaitDrainRefusal(server);
    slowMayFinish.complete(null);

    assertEquals(503, duringDrain.statusCode());
    assertEquals(200, slow.get(10, TimeUnit.SECONDS).statusCode());
    assertTrue(stopped.get(10, TimeUnit.SECONDS));
  }

  @Test
  void stopGivesUpAfterTheTimeout() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    OwinServer server =
        OwinServer.builder()
            .app(
                env -> {
                  arrived.countDown();
                  return new CompletableFuture<>();
                })
            .build()
            .start();
    getAsync(server, "/never");
    assertTrue(arrived.await(10, TimeUnit.SECONDS));

    assertFalse(server.stop(Duration.ofMillis(200)));
  }

  /** New requests race the stop call; the first answer after shutdown began is the 503. */
  private HttpResponse<String> awaitDrainRefusal(OwinServer server) throws Exception {
    while (true) {
      HttpResponse<String> response = get(server, "/new");
      if (response.statusCode() != 200) {
        return response;
      }
      Thread.sleep(10);
    }
  }

  private HttpResponse<String> get(OwinServer server, String path)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(server.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> getAsync(OwinServer server, String path) {
    return client.sendAsync(
        HttpRequest.newBuilder(server.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
