package io.owin4j.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the host reports at the end of each exchange: to {@link ServerListener}s, to the log (never
 * silent at default levels), and to the count of client disconnects.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerListenerTest {
  private final BlockingQueue<ExchangeSummary> ended = new LinkedBlockingQueue<>();
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Logger hostLogger = Logger.getLogger("io.owin4j.undertow");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            logged.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLogs() {
    hostLogger.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    hostLogger.removeHandler(capture);
  }

  private OwinServer start(AppFunc app) {
    return Servers.start(
        app, builder -> builder.listener(ended::add).stopTimeout(Duration.ofMillis(100)));
  }

  private ExchangeSummary nextEnded() throws InterruptedException {
    ExchangeSummary summary = ended.poll(10, TimeUnit.SECONDS);
    assertTrue(summary != null, "no exchange ended");
    return summary;
  }

  @Test
  void listenerHearsMethodPathStatusBytesAndOutcome() throws Exception {
    AppFunc hello =
        env -> {
          env.put(OwinKeys.RESPONSE_STATUS_CODE, 201);
          Servers.write(env, "hello");
          return CompletableFuture.completedFuture(null);
        };
    try (OwinServer server = start(hello)) {
      assertEquals(201, Servers.get(server, "/items?page=2").statusCode());

      ExchangeSummary summary = nextEnded();
      assertEquals("GET", summary.method());
      assertEquals("/items", summary.path());
      assertEquals(201, summary.status());
      assertEquals("hello".length(), summary.bytesSent());
      assertFalse(summary.duration().isNegative());
      assertEquals(ExchangeSummary.Outcome.COMPLETED, summary.outcome());
      assertEquals(0, server.clientDisconnects());
    }
  }

  @Test
  void ioExceptionOfTheApplicationIsLoggedAtWarningOnce() throws Exception {
    AppFunc failing = env -> CompletableFuture.failedFuture(new IOException("disk is gone"));
    try (OwinServer server = start(failing)) {
      assertEquals(500, Servers.get(server, "/report").statusCode());

      assertEquals(ExchangeSummary.Outcome.FAILED, nextEnded().outcome());
      List<LogRecord> warnings =
          logged.stream()
              .filter(r -> r.getThrown() != null && "disk is gone".equals(r.getThrown().getMessage()))
              .collect(Collectors.toList());
      assertEquals(1, warnings.size(), () -> "logged: " + messages());
      assertEquals(Level.WARNING, warnings.get(0).getLevel());
    }
  }

  @Test
  void clientThatGoesAwayIsCountedNotLogged() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    AppFunc waitsForCancel =
        env -> {
          ((InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes();
          CompletableFuture<Void> done = new CompletableFuture<>();
          ((CancellationToken) env.get(OwinKeys.CALL_CANCELLED))
              .register(
                  () -> {
                    Servers.write(env, "too late");
                    done.complete(null);
                  });
          arrived.countDown();
          return done;
        };
    try (OwinServer server = start(waitsForCancel)) {
      RawClient client = new RawClient(server.port());
      client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(arrived.await(10, TimeUnit.SECONDS));

      client.close();

      assertEquals(ExchangeSummary.Outcome.CLIENT_DISCONNECTED, nextEnded().outcome());
      assertEquals(1, server.clientDisconnects());
      assertTrue(logged.isEmpty(), () -> "logged: " + messages());
    }
  }

  @Test
  void failingListenerIsLoggedAndTheOthersStillHear() throws Exception {
    AppFunc ok = env -> CompletableFuture.completedFuture(null);
    try (OwinServer server =
        Servers.start(
            ok,
            builder ->
                builder
                    .listener(
                        summary -> {
                          throw new IllegalStateException("listener broke");
                        })
                    .listener(ended::add))) {
      assertEquals(200, Servers.get(server, "/").statusCode());

      assertEquals(200, nextEnded().status());
      assertTrue(
          logged.stream().anyMatch(r -> r.getLevel() == Level.WARNING && r.getThrown() != null
              && "listener broke".equals(r.getThrown().getMessage())),
          () -> "logged: " + messages());
    }
  }

  private String messages() {
    return logged.stream()
        .map(r -> r.getLevel() + " " + r.getMessage() + " " + r.getThrown())
        .collect(Collectors.joining("\n"));
  }
}
