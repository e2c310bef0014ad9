package io.owin4j.testkit.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.ext.WebSocketCloseAsync;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveAsync;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.ext.WebSocketSendAsync;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.LintViolation;
import io.owin4j.core.OwinFeatureCollection;
import io.owin4j.core.OwinLint;
import io.owin4j.testkit.TestServer;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.UpgradeDeniedException;
import io.owin4j.testkit.WebSocketMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every host owes a WebSocket application, decided the way RFC 6455 and Undertow decide it:
 * the application's pings and pongs are sent; a close with an empty payload is reported as 1005; a
 * close status must be one RFC 6455 section 7.4 allows; a message sent in fragments continues with
 * its own type; one receive and one send at a time; nothing after the close was sent; the peer's
 * close is echoed; a lost connection fails the pending receive.
 *
 * <p>The application uses the OWIN WebSocket delegates, as portable middleware does. Subclass it
 * with {@link #host()}; see the package comment.
 */
@Timeout(30)
public abstract class WebSocketContract {
  private final KitServers servers = new KitServers(this::host);

  /**
   * A builder for the host under test, such as {@code TestServer.builder().launcher(...)}; the kit
   * sets the application and the options a test needs.
   */
  protected abstract TestServer.Builder host();

  @AfterEach
  final void closeServers() {
    servers.closeAll();
  }

  /** A WebSocket session as the application sees it, driven in blocking style for readability. */
  private record Session(Map<String, Object> env) {
    CompletionStage<Void> send(String text) {
      return ((WebSocketSendAsync) env.get(WebSocketKeys.SEND_ASYNC))
          .sendAsync(
              ByteBuffer.wrap(text.getBytes(UTF_8)),
              WebSocketMessageTypes.TEXT,
              true,
              CancellationToken.NONE);
    }

    CompletionStage<Void> send(ByteBuffer data, int type, boolean end) {
      return ((WebSocketSendAsync) env.get(WebSocketKeys.SEND_ASYNC))
          .sendAsync(data, type, end, CancellationToken.NONE);
    }

    CompletionStage<Void> close(int status, String description) {
      return ((WebSocketCloseAsync) env.get(WebSocketKeys.CLOSE_ASYNC))
          .closeAsync(status, description, CancellationToken.NONE);
    }

    CompletionStage<WebSocketReceiveResult> receive(ByteBuffer buffer) {
      return ((WebSocketReceiveAsync) env.get(WebSocketKeys.RECEIVE_ASYNC))
          .receiveAsync(buffer, CancellationToken.NONE);
    }

    /** Receives one whole message: its type, and its bytes as text. */
    String receiveMessage() throws Exception {
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(16);
      while (true) {
        buffer.clear();
        WebSocketReceiveResult result = await(receive(buffer));
        if (result.isClose()) {
          return "CLOSE "
              + env.get(WebSocketKeys.CLIENT_CLOSE_STATUS)
              + " "
              + env.get(WebSocketKeys.CLIENT_CLOSE_DESCRIPTION);
        }
        message.write(buffer.array(), 0, result.count());
        if (result.endOfMessage()) {
          return WebSocketMessageTypes.describe(result.messageType())
              + " "
              + message.toString(UTF_8);
        }
      }
    }
  }

  /** A function of the session that may block and throw. */
  private interface Script {
    void run(Session session) throws Exception;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof Exception exception ? exception : e;
    }
  }

  /** Accepts every WebSocket and runs {@code script} on its own thread, so it may block. */
  private static AppFunc accepting(@Nullable String subProtocol, Script script) {
    return env -> {
      WebSocketAccept accept = (WebSocketAccept) env.get(WebSocketKeys.ACCEPT);
      if (accept == null) {
        env.put(OwinKeys.RESPONSE_STATUS_CODE, 426);
        return CompletableFuture.completedFuture(null);
      }
      accept.accept(
          subProtocol == null ? null : Map.of(WebSocketKeys.SUB_PROTOCOL, subProtocol),
          socket ->
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      script.run(new Session(socket));
                    } catch (RuntimeException e) {
                      throw e;
                    } catch (Exception e) {
                      throw new java.util.concurrent.CompletionException(e);
                    }
                  }));
      return CompletableFuture.completedFuture(null);
    };
  }

  private TestWebSocket connect(Script script) {
    return connect(UnaryOperator.identity(), script);
  }

  private TestWebSocket connect(UnaryOperator<TestServer.Builder> options, Script script) {
    TestServer server = servers.start(options, app -> app.run(accepting(null, script)));
    return server.webSocket("/ws").connect();
  }

  @Test
  void textAndBinaryMessagesTravelBothWays() {
    TestWebSocket socket =
        connect(
            session -> {
              String first = session.receiveMessage();
              String second = session.receiveMessage();
              await(session.send(first + "|" + second));
              await(session.send(ByteBuffer.wrap(new byte[] {1, 2, 3}),
                  WebSocketMessageTypes.BINARY, true));
              session.receiveMessage();
            });

    socket.sendText("hello");
    socket.sendBinary("bin".getBytes(UTF_8));

    assertEquals(WebSocketMessage.text("TEXT (0x1) hello|BINARY (0x2) bin"), socket.receive());
    assertEquals(WebSocketMessage.binary(new byte[] {1, 2, 3}), socket.receive());
    socket.close();
  }

  @Test
  void aMessageTheClientSendsInFragmentsArrivesInOrder() {
    TestWebSocket socket = connect(session -> await(session.send(session.receiveMessage())));

    socket.sendFragment("frag", false);
    socket.sendFragment("men", false);
    socket.sendFragment("ted", true);

    assertEquals(WebSocketMessage.text("TEXT (0x1) fragmented"), socket.receive());
  }

  @Test
  void theApplicationsPingsAndPongsAreSent() {
    TestWebSocket socket =
        connect(
            session -> {
              session.receiveMessage();
              await(session.send(ByteBuffer.wrap("p".getBytes(UTF_8)),
                  WebSocketMessageTypes.PING, true));
              await(session.send(ByteBuffer.wrap("q".getBytes(UTF_8)),
                  WebSocketMessageTypes.PONG, true));
              await(session.send("after the control frames"));
              session.receiveMessage();
            });

    socket.sendText("go");

    assertEquals(WebSocketMessage.text("after the control frames"), socket.receive());
    assertEquals(
        List.of(WebSocketMessage.ping("p".getBytes(UTF_8)), WebSocketMessage.pong("q".getBytes(UTF_8))),
        socket.receivedControlFrames());
    socket.close();
  }

  @Test
  void aCloseWithAnEmptyPayloadIsReportedAs1005() {
    TestWebSocket socket =
        connect(
            session -> {
              session.receiveMessage();
              await(session.send(ByteBuffer.allocate(0), WebSocketMessageTypes.CLOSE, true));
              session.receiveMessage();
            });

    socket.sendText("go");

    assertEquals(WebSocketMessage.close(1005, ""), socket.receive());
  }

  @Test
  void closeStatusesAreTheOnesRfc6455Section74Allows() {
    int[] refused = {0, 999, 1004, 1006, 1015, 1016, 2000, 2999, 5000, 65535};
    TestWebSocket socket =
        connect(
            session -> {
              List<String> outcomes = new ArrayList<>();
              for (int status : refused) {
                try {
                  session.close(status, "");
                  outcomes.add(status + " taken");
                } catch (IllegalArgumentException expected) {
                  outcomes.add(status + " refused");
                }
              }
              try {
                session.close(1005, "a reason");
                outcomes.add("1005 with a reason taken");
              } catch (IllegalArgumentException expected) {
                outcomes.add("1005 with a reason refused");
              }
              await(session.send(String.join(",", outcomes)));
              await(session.close(4999, "the last allowed"));
            });

    assertEquals(
        WebSocketMessage.text(
            "0 refused,999 refused,1004 refused,1006 refused,1015 refused,1016 refused,2000"
                + " refused,2999 refused,5000 refused,65535 refused,1005 with a reason refused"),
        socket.receive());
    assertEquals(WebSocketMessage.close(4999, "the last allowed"), socket.receive());
  }

  @Test
  void everyStatusRfc6455Section74AllowsIsSent() {
    // 1010 is for clients to send, and the JDK client refuses 1012-1014 from a server.
    int[] allowed = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 3000};
    for (int status : allowed) {
      // The application ends once its close went out; the host waits for the client's answer.
      TestWebSocket socket = connect(session -> await(session.close(status, "s")));

      WebSocketMessage received = socket.receive();

      assertEquals(WebSocketMessage.Type.CLOSE, received.type(), "status " + status);
    }
  }

  @Test
  void aMessageSentInFragmentsContinuesWithItsOwnType() {
    TestWebSocket socket =
        connect(
            session -> {
              session.receiveMessage();
              await(session.send(ByteBuffer.wrap("ab".getBytes(UTF_8)),
                  WebSocketMessageTypes.TEXT, false));
              String outcome;
              try {
                session.send(ByteBuffer.wrap(new byte[] {1}), WebSocketMessageTypes.BINARY, true);
                outcome = "binary taken";
              } catch (IllegalArgumentException expected) {
                outcome = "binary refused";
              }
              await(session.send(ByteBuffer.wrap(("cd|" + outcome).getBytes(UTF_8)),
                  WebSocketMessageTypes.TEXT, true));
              session.receiveMessage();
            });

    socket.sendText("go");

    assertEquals(WebSocketMessage.text("abcd|binary refused"), socket.receive());
    socket.close();
  }

  @Test
  void theClientsCloseIsReportedAndEchoedWhenTheApplicationEnds() {
    CompletableFuture<String> seen = new CompletableFuture<>();
    TestWebSocket socket = connect(session -> seen.complete(session.receiveMessage()));

    socket.close(1000, "bye");

    assertEquals(WebSocketMessage.close(1000, "bye"), socket.receive());
    assertEquals("CLOSE 1000 bye", seen.join());
  }

  /**
   * Once the client's close arrived, a host sends only the close answering it: a ping or a message
   * the application sends then fails on its own, and the close handshake still ends with the
   * client's status.
   */
  @Test
  void afterTheClientsCloseOnlyTheCloseAnsweringItIsSent() {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    TestWebSocket socket =
        connect(
            session -> {
              String close = session.receiveMessage();
              String ping =
                  outcomeOf(session.send(ByteBuffer.allocate(0), WebSocketMessageTypes.PING, true));
              String text = outcomeOf(session.send("late"));
              outcome.complete(close + ", ping " + ping + ", text " + text);
            });

    socket.close(1000, "bye");

    assertEquals(WebSocketMessage.close(1000, "bye"), socket.receive());
    assertEquals("CLOSE 1000 bye, ping IOException, text IOException", outcome.join());
  }

  /**
   * A message the application left unfinished when the client's close arrived does not hold the
   * close back: its next fragment fails, and the close answering the client's goes out at once
   * (Undertow held it behind the open message until the close timeout cut the connection).
   */
  @Test
  void aMessageLeftUnfinishedAtTheClientsCloseDoesNotHoldTheCloseBack() {
    CompletableFuture<Void> firstSent = new CompletableFuture<>();
    CompletableFuture<String> outcome = new CompletableFuture<>();
    TestWebSocket socket =
        connect(
            session -> {
              await(
                  session.send(
                      ByteBuffer.wrap("he".getBytes(UTF_8)), WebSocketMessageTypes.TEXT, false));
              firstSent.complete(null);
              String close = session.receiveMessage();
              String rest =
                  outcomeOf(
                      session.send(
                          ByteBuffer.wrap("llo".getBytes(UTF_8)), WebSocketMessageTypes.TEXT, true));
              outcome.complete(close + ", rest " + rest);
            });
    firstSent.join();

    socket.close(1000, "bye");

    WebSocketMessage answer = socket.receive();
    if (answer.equals(WebSocketMessage.text("he"))) {
      // A host may end its unfinished message before the close (RFC 6455, 5.5.1); Undertow does.
      answer = socket.receive();
    }
    assertEquals(WebSocketMessage.close(1000, "bye"), answer);
    assertEquals("CLOSE 1000 bye, rest IOException", outcome.join());
  }

  /** "sent", or the simple name of the failure {@code send} ended with. */
  private static String outcomeOf(CompletionStage<Void> send) {
    try {
      await(send);
      return "sent";
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  @Test
  void aSecondPendingReceiveIsRefused() {
    TestWebSocket socket =
        connect(
            session -> {
              CompletionStage<WebSocketReceiveResult> first = session.receive(ByteBuffer.allocate(8));
              String outcome;
              try {
                session.receive(ByteBuffer.allocate(8));
                outcome = "second receive taken";
              } catch (IllegalStateException expected) {
                outcome = "second receive refused";
              }
              await(session.send(outcome));
              await(first);
              session.receiveMessage();
            });

    assertEquals(WebSocketMessage.text("second receive refused"), socket.receive());
    socket.sendText("go");
    socket.close();
  }

  @Test
  void nothingIsSentAfterTheClose() {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    TestWebSocket socket =
        connect(
            session -> {
              await(session.close(1000, "done"));
              try {
                session.send("too late");
                outcome.complete("send taken");
              } catch (IllegalStateException expected) {
                outcome.complete("send refused");
              }
            });

    assertEquals(WebSocketMessage.close(1000, "done"), socket.receive());
    assertEquals("send refused", outcome.join());
  }

  @Test
  void theSubprotocolTheApplicationChoseReachesTheClient() {
    TestServer server =
        servers.start(
            UnaryOperator.identity(),
            app -> app.run(accepting("chat.v2", session -> session.receiveMessage())));

    TestWebSocket socket = server.webSocket("/ws").subprotocols("chat.v1", "chat.v2").connect();

    assertEquals("chat.v2", socket.subProtocol());
    socket.close();
  }

  @Test
  void aHandshakeTheApplicationDeclinesIsAnOrdinaryResponse() {
    TestServer server =
        servers.start(
            UnaryOperator.identity(),
            app ->
                app.run(
                    env -> {
                      env.put(OwinKeys.RESPONSE_STATUS_CODE, 403);
                      return CompletableFuture.completedFuture(null);
                    }));

    UpgradeDeniedException denied =
        assertThrows(UpgradeDeniedException.class, () -> server.webSocket("/ws").connect());

    assertEquals(403, denied.response().status());
  }

  @Test
  void aFailureAfterTheAcceptReachesTheTest() {
    IllegalStateException boom = new IllegalStateException("socket boom");
    TestWebSocket socket =
        connect(
            session -> {
              session.receiveMessage();
              throw boom;
            });

    socket.sendText("go");

    assertSame(boom, assertThrows(IllegalStateException.class, socket::receive));
  }

  @Test
  void aLostConnectionFailsThePendingReceive() throws Exception {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    CompletableFuture<Void> receiving = new CompletableFuture<>();
    TestWebSocket socket =
        connect(
            session -> {
              session.receiveMessage();
              CompletionStage<WebSocketReceiveResult> pending =
                  session.receive(ByteBuffer.allocate(8));
              receiving.complete(null);
              try {
                await(pending);
                failure.complete(new AssertionError("the receive completed"));
              } catch (IOException expected) {
                failure.complete(expected);
              }
            });
    socket.sendText("go");
    receiving.get(10, TimeUnit.SECONDS);

    socket.abort();

    assertInstanceOf(IOException.class, failure.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aMessageSentWholeArrivesWholeHoweverLarge() {
    String large = "w".repeat(200_000);
    TestWebSocket socket =
        connect(
            session -> {
              session.receiveMessage();
              await(session.send(large));
              session.receiveMessage();
            });

    socket.sendText("go");

    assertTrue(socket.receive().text().equals(large));
    socket.close();
  }

  @Test
  void aTypedAcceptWhoseStageCoversTheSessionPassesTheLinter() {
    // The stage covers the whole session, as WebSocketFeature says, so the linter checks the
    // response head after the host's handshake: the headers the host added to the 101 are not the
    // application's change. A failed stage after a normal close reaches no client, so a second
    // linter inside collects what it reports.
    List<LintViolation> violations = new CopyOnWriteArrayList<>();
    TestServer server =
        servers.start(
            UnaryOperator.identity(),
            app ->
                app.use(OwinLint.middleware(violations::add)).run(
                    env -> {
                      WebSocketFeature feature =
                          OwinFeatureCollection.of(env).get(WebSocketFeature.class);
                      if (feature == null || !feature.isWebSocketRequest()) {
                        env.put(OwinKeys.RESPONSE_STATUS_CODE, 426);
                        return CompletableFuture.completedFuture(null);
                      }
                      return feature
                          .accept(WebSocketAcceptContext.of("chat.v1"))
                          .thenCompose(
                              socket -> {
                                ByteBuffer buffer = ByteBuffer.allocate(64);
                                return socket
                                    .receive(buffer, CancellationToken.NONE)
                                    .thenCompose(
                                        received ->
                                            socket.send(
                                                buffer.flip(),
                                                received.messageType(),
                                                true,
                                                CancellationToken.NONE))
                                    .thenCompose(
                                        sent -> socket.close(1000, "done", CancellationToken.NONE));
                              });
                    }));

    TestWebSocket socket = server.webSocket("/ws").subprotocols("chat.v1").connect();
    socket.sendText("typed");

    assertEquals(WebSocketMessage.text("typed"), socket.receive());
    assertEquals(WebSocketMessage.close(1000, "done"), socket.receive());
    socket.close();
    server.assertIdle(Duration.ofSeconds(10));
    assertEquals(List.of(), violations);
  }
}
