package io.owin4j.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketState;
import io.owin4j.core.host.ExchangeLifecycle;
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
    return Servers.onWebSocket(
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
        Servers.onWebSocket(
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

  /**
   * The peer half-closes (FIN) mid-frame while the application, as an echo does, has sent back the
   * part it got and left its own message open: Undertow's close answering the FIN then waits
   * behind that message. The receive must still fail rather than wait for the rest of a frame that
   * can no longer arrive, and the server must close its side of the connection although the
   * application still holds the socket. Before this held, such a connection stayed open until a
   * timeout, a file descriptor each: about 200 of 1,000 in the reliability suite's fault 1.
   */
  @ParameterizedTest(name = "FIN {0}")
  @ValueSource(strings = {"while a receive is pending", "between two receives"})
  void aPeerThatHalfClosesMidFrameFailsTheReceiveAndIsLetGo(String when) throws Exception {
    boolean pending = when.equals("while a receive is pending");
    CompletableFuture<Void> echoed = new CompletableFuture<>();
    CompletableFuture<Object> second = new CompletableFuture<>();
    CompletableFuture<Void> release = new CompletableFuture<>();
    AppFunc app =
        Servers.onWebSocket(
            socket -> {
              ByteBuffer buffer = ByteBuffer.allocate(64);
              return socket
                  .receive(buffer, CancellationToken.NONE)
                  .thenCompose(
                      first ->
                          socket.send(
                              buffer.flip(),
                              first.messageType(),
                              first.endOfMessage(),
                              CancellationToken.NONE))
                  .thenCompose(
                      sent -> {
                        echoed.complete(null);
                        return pending ? echoed : untilAborted(socket);
                      })
                  .thenCompose(
                      ready -> socket.receive(ByteBuffer.allocate(64), CancellationToken.NONE))
                  .handle(
                      (result, failure) ->
                          second.complete(failure != null ? ExchangeLifecycle.unwrap(failure) : result))
                  .thenCompose(recorded -> release);
            });
    try (OwinServer server = Servers.start(app)) {
      try {
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws");
        raw.sendHalfFrame(RawWebSocket.TEXT, 100, 10);
        echoed.get(10, TimeUnit.SECONDS);
        RawWebSocket.Frame echo = raw.read();
        assertEquals(RawWebSocket.TEXT, echo.opcode());
        assertFalse(echo.fin(), "the echo of a message's first part leaves the message open");
        raw.shutdownOutput();

        Object outcome = second.get(10, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, outcome, () -> "the receive gave " + outcome);
        assertTrue(
            raw.readsToEndOfConnection(),
            "the server kept its side of the connection open after the peer's FIN");
      } finally {
        release.complete(null);
      }
    }
  }


  /** Completes once the engine learned that the peer went away; fails after 10 s. */
  private static CompletableFuture<Void> untilAborted(WebSocket socket) {
    return CompletableFuture.runAsync(
        () -> {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (socket.state() != WebSocketState.ABORTED) {
            if (System.nanoTime() > deadline) {
              throw new AssertionError("the peer's FIN never reached the WebSocket: " + socket.state());
            }
            try {
              Thread.sleep(5);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new AssertionError(e);
            }
          }
        });
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
