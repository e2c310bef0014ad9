package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.features;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.api.features.WebSocketState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A peer that breaks off mid-frame: the read of the broken message fails once, the pending receive
 * fails with it, and the connection is let go. Before this held, the failed read was retried on
 * the IO thread until the stack overflowed, stalling every other connection of that thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketPeerFaultTest {
  private final List<Throwable> logged = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getThrown() != null) {
            synchronized (logged) {
              logged.add(record.getThrown());
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLogs() {
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void releaseLogs() {
    Logger.getLogger("").removeHandler(capture);
  }

  /** A receive loop that reports how its socket ended and how many receives it made. */
  private static AppFunc receiveLoop(CompletableFuture<Throwable> ended, CountDownLatch receiving) {
    return env ->
        features(env)
            .require(WebSocketFeature.class)
            .accept(WebSocketAcceptContext.of(null))
            .thenCompose(
                socket -> {
                  receiveUntilFailure(socket, ended, receiving);
                  return ended.handle((failure, ignored) -> null);
                });
  }

  private static void receiveUntilFailure(
      WebSocket socket, CompletableFuture<Throwable> ended, CountDownLatch receiving) {
    socket
        .receive(ByteBuffer.allocate(64), CancellationToken.NONE)
        .whenComplete(
            (result, failure) -> {
              if (failure != null) {
                ended.complete(failure);
              } else {
                receiveUntilFailure(socket, ended, receiving);
              }
            });
    receiving.countDown();
  }

  @ParameterizedTest(name = "dropped with {0}")
  @ValueSource(strings = {"FIN", "RST"})
  void aPeerThatDropsTheConnectionMidFrameFailsTheReceiveOnce(String how) throws Exception {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    CountDownLatch receiving = new CountDownLatch(1);
    try (OwinServer server = Servers.start(receiveLoop(ended, receiving))) {
      RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws");
      assertEquals(101, raw.status());
      assertTrue(receiving.await(10, TimeUnit.SECONDS));

      raw.sendHalfFrame(RawWebSocket.TEXT, 100, 10);
      if (how.equals("RST")) {
        raw.reset();
      } else {
        raw.close();
      }

      Throwable failure = ended.get(10, TimeUnit.SECONDS);
      assertInstanceOf(IOException.class, failure, () -> "the receive failed with " + failure);
      assertNoStackOverflow(failure);
    }
    synchronized (logged) {
      for (Throwable each : logged) {
        assertNoStackOverflow(each);
      }
    }
  }

  @ParameterizedTest(name = "dropped with {0}")
  @ValueSource(strings = {"FIN", "RST"})
  void aSocketWhosePeerBrokeOffMidFrameEndsAborted(String how) throws Exception {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    CompletableFuture<WebSocketState> state = new CompletableFuture<>();
    CountDownLatch receiving = new CountDownLatch(1);
    AppFunc app =
        env ->
            features(env)
                .require(WebSocketFeature.class)
                .accept(WebSocketAcceptContext.of(null))
                .thenCompose(
                    socket -> {
                      receiveUntilFailure(socket, ended, receiving);
                      return ended.handle(
                          (failure, ignored) -> {
                            state.complete(socket.state());
                            return null;
                          });
                    });
    try (OwinServer server = Servers.start(app)) {
      RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws");
      assertTrue(receiving.await(10, TimeUnit.SECONDS));
      raw.sendHalfFrame(RawWebSocket.BINARY, 1000, 1);
      if (how.equals("RST")) {
        raw.reset();
      } else {
        raw.close();
      }
      assertEquals(WebSocketState.ABORTED, state.get(10, TimeUnit.SECONDS));
    }
  }

  private static void assertNoStackOverflow(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StackOverflowError) {
        throw new AssertionError("the IO thread overflowed its stack", failure);
      }
      for (Throwable suppressed : cause.getSuppressed()) {
        assertNoStackOverflow(suppressed);
      }
    }
  }
}
