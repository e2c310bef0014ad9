package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.features;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * A client's close that crosses a ping the server is sending: the close must still be answered
 * with its own status, whatever point the ping's write has reached. The race is narrow, so one
 * test runs it many times over fresh connections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketCloseRaceTest {
  private static final int ROUNDS = 80;

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "ping timer");
            thread.setDaemon(true);
            return thread;
          });

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  /**
   * Pings every millisecond while it receives; on the peer's close, answers it with the same status
   * and reason once the ping under way is written (one send at a time).
   */
  private final class PingingEcho {
    private final WebSocket socket;
    private final CompletableFuture<@Nullable Throwable> closeEchoed;
    private CompletableFuture<Void> sends = CompletableFuture.completedFuture(null);
    private boolean closing;

    PingingEcho(WebSocket socket, CompletableFuture<@Nullable Throwable> closeEchoed) {
      this.socket = socket;
      this.closeEchoed = closeEchoed;
    }

    CompletionStage<Void> run() {
      timer.schedule(this::ping, 1, TimeUnit.MILLISECONDS);
      return receive();
    }

    private synchronized void ping() {
      if (closing) {
        return;
      }
      sends =
          sends
              .thenCompose(
                  ignored ->
                      socket.send(
                          ByteBuffer.allocate(0),
                          WebSocketMessageTypes.PING,
                          true,
                          CancellationToken.NONE))
              .whenComplete(
                  (ignored, failure) -> {
                    if (failure == null) {
                      timer.schedule(this::ping, 1, TimeUnit.MILLISECONDS);
                    }
                  });
    }

    private CompletionStage<Void> receive() {
      return socket
          .receive(ByteBuffer.allocate(64), CancellationToken.NONE)
          .thenCompose(
              result -> {
                if (result.messageType() != WebSocketMessageTypes.CLOSE) {
                  return receive();
                }
                synchronized (this) {
                  closing = true;
                  sends =
                      sends
                          .exceptionally(ignored -> null)
                          .thenCompose(
                              ignored ->
                                  socket.close(
                                      socket.closeStatus(),
                                      socket.closeDescription(),
                                      CancellationToken.NONE))
                          .whenComplete((ignored, failure) -> closeEchoed.complete(failure));
                  return sends;
                }
              });
    }
  }

  /**
   * The JDK client answers every ping by itself, and that pong can lose a race with its own close
   * ("Output closed", reported as an error): a fault of the client, in which the round tells nothing
   * about the server, so it is counted and left out.
   */
  @Test
  void aClientsCloseThatCrossesAPingIsAnsweredWithItsStatus() throws Exception {
    Map<String, CompletableFuture<@Nullable Throwable>> closeEchoes = new ConcurrentHashMap<>();
    AppFunc app =
        env -> {
          CompletableFuture<@Nullable Throwable> echoed =
              closeEchoes.computeIfAbsent(
                  (String) env.get(OwinKeys.REQUEST_QUERY_STRING), round -> new CompletableFuture<>());
          return features(env)
              .require(WebSocketFeature.class)
              .accept(WebSocketAcceptContext.of(null))
              .thenCompose(socket -> new PingingEcho(socket, echoed).run());
        };
    List<String> failed = new ArrayList<>();
    int clientRaces = 0;
    try (OwinServer server = Servers.start(app)) {
      for (int round = 0; round < ROUNDS; round++) {
        JdkWebSocketClient client = JdkWebSocketClient.connect(server, "/ws?" + round);
        // Lets a few pings go out, so that the close lands at a different point of one each time.
        Thread.sleep(round % 4);
        String reason = "round " + round;
        client.socket.sendClose(4000, reason);
        JdkWebSocketClient.Closed closed = client.closed();
        if (closed.status() == 1006 && closed.reason().contains("Output closed")) {
          clientRaces++;
          continue;
        }
        Throwable echoFailure =
            closeEchoes
                .computeIfAbsent(String.valueOf(round), key -> new CompletableFuture<>())
                .get(10, TimeUnit.SECONDS);
        if (!closed.equals(new JdkWebSocketClient.Closed(4000, reason)) || echoFailure != null) {
          failed.add(round + ": the client saw " + closed + ", the server's echo: " + echoFailure);
        }
      }
    }
    assertEquals(List.of(), failed, "rounds whose close was not answered with its own status");
    assertTrue(clientRaces < ROUNDS / 4, "the client broke " + clientRaces + " rounds itself");
  }
}
