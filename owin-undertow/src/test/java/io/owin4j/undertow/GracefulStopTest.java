package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A graceful stop loses nothing: requests finish or are refused whole, WebSockets hear 1001. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulStopTest {

  @Test
  void anOpenWebSocketGetsGoingAwayWhenTheServerStops() throws Exception {
    AppFunc app =
        Servers.onWebSocket(
            socket ->
                socket
                    .receive(ByteBuffer.allocate(1024), CancellationToken.NONE)
                    .handle((result, failure) -> null));
    OwinServer server = Servers.start(app);
    try {
      RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws");
      assertEquals(101, raw.status());
      CompletableFuture<Boolean> stopped =
          CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(10)));

      RawWebSocket.Frame close = raw.readSkippingPongs();
      assertEquals(RawWebSocket.CLOSE, close.opcode());
      assertEquals(1001, ((close.payload()[0] & 0xFF) << 8) | (close.payload()[1] & 0xFF));
      raw.sendClose(1001, "");
      assertTrue(stopped.get(20, TimeUnit.SECONDS), "the stop did not see the WebSocket close");
    } finally {
      server.close();
    }
  }

  @Test
  void aRequestInFlightCompletesAndALaterOneGets503() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AppFunc app =
        env -> {
          running.countDown();
          release.await(30, TimeUnit.SECONDS);
          write(env, "finished");
          return Servers.done();
        };
    OwinServer server = Servers.start(app);
    try (RawClient inFlight = new RawClient(server.port());
        RawClient late = new RawClient(server.port())) {
      inFlight.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
      assertTrue(running.await(10, TimeUnit.SECONDS));
      CompletableFuture<Boolean> stopped =
          CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(20)));
      while (!server.toString().contains("stopped")) {
        Thread.sleep(5);
      }
      Thread.sleep(100); // let the gate close; the late request must find it closed

      assertEquals(503, late.send("GET /b HTTP/1.1\r\nHost: t\r\n\r\n").read().status());
      release.countDown();
      RawClient.Response response = inFlight.read();
      assertEquals(200, response.status());
      assertEquals("finished", new String(response.body(), StandardCharsets.UTF_8));
      assertTrue(stopped.get(20, TimeUnit.SECONDS));
    } finally {
      server.close();
    }
  }

  @Test
  void theWarningAboutRequestsStillRunningReachesTheLog() throws Exception {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
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
    Logger.getLogger("").addHandler(capture);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    OwinServer server =
        Servers.start(
            env -> {
              running.countDown();
              release.await(30, TimeUnit.SECONDS);
              return Servers.done();
            });
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
      assertTrue(running.await(10, TimeUnit.SECONDS));

      assertEquals(false, server.stop(Duration.ofMillis(200)));
      assertTrue(
          records.stream().anyMatch(r -> r.getMessage().contains("still running")),
          "no warning was logged");
    } finally {
      release.countDown();
      Logger.getLogger("").removeHandler(capture);
      server.close();
    }
  }
}
