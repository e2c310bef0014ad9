package io.owin4j.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.testkit.WebSocketMessage;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JDK-backed WebSocket end against a plain Undertow WebSocket server. */
@Timeout(30)
class JdkWebSocketTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Undertow server;
  private URI uri;

  @BeforeEach
  void startServer() {
    server =
        Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(
                Handlers.websocket(
                    (exchange, channel) -> {
                      channel.getReceiveSetter().set(new Echo());
                      channel.resumeReceives();
                    }))
            .build();
    server.start();
    InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    uri = URI.create("ws://127.0.0.1:" + address.getPort() + "/");
  }

  @AfterEach
  void stopServer() {
    server.stop();
  }

  /** Echoes text and binary; answers "close" with a 4001 close and "fail" with a 1011 close. */
  private static final class Echo extends AbstractReceiveListener {
    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
      // getData() hands the text over once.
      String text = message.getData();
      switch (text) {
        case "close" -> WebSockets.sendClose(4001, "asked", channel, null);
        case "fail" -> WebSockets.sendClose(1011, "", channel, null);
        default -> WebSockets.sendText(text, channel, null);
      }
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
      WebSockets.sendBinary(message.getData().getResource(), channel, null);
    }
  }

  private JdkWebSocket connect(List<CompletableFuture<@Nullable Throwable>> outcomes) {
    JdkWebSocket socket = new JdkWebSocket(TIMEOUT, outcomes);
    socket.opened(
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, socket.listener()).join());
    return socket;
  }

  @Test
  void textAndBinaryComeBackWhole() {
    try (JdkWebSocket socket = connect(List.of())) {
      socket.sendText("hello");
      assertEquals(WebSocketMessage.text("hello"), socket.receive());
      socket.sendBinary(new byte[] {1, 2, 3});
      assertEquals(WebSocketMessage.binary(new byte[] {1, 2, 3}), socket.receive());
    }
  }

  @Test
  void fragmentsAreSentAsOneMessage() {
    try (JdkWebSocket socket = connect(List.of())) {
      socket.sendFragment("hel", false);
      socket.sendFragment("lo", true);
      assertEquals(WebSocketMessage.text("hello"), socket.receive());
      socket.sendFragment(ByteBuffer.wrap(new byte[] {1}), false);
      socket.sendFragment(ByteBuffer.wrap(new byte[] {2}), true);
      assertEquals(WebSocketMessage.binary(new byte[] {1, 2}), socket.receive());
    }
  }

  @Test
  void serverCloseArrivesAsACloseMessage() {
    try (JdkWebSocket socket = connect(List.of())) {
      socket.sendText("close");
      assertEquals(WebSocketMessage.close(4001, "asked"), socket.receive());
      assertThrows(IllegalStateException.class, socket::receive);
      assertThrows(IllegalStateException.class, () -> socket.sendText("late"));
    }
  }

  @Test
  void clientCloseIsAnsweredByTheServer() {
    try (JdkWebSocket socket = connect(List.of())) {
      socket.close(1000, "done");
      assertEquals(1000, socket.receive().closeStatus());
    }
  }

  @Test
  void abnormalCloseThrowsTheApplicationsFailureWhenOneWasKept() {
    IllegalStateException boom = new IllegalStateException("server boom");
    try (JdkWebSocket socket =
        connect(
            List.of(
                CompletableFuture.completedFuture(null),
                CompletableFuture.completedFuture(boom)))) {
      socket.sendText("fail");
      assertSame(boom, assertThrows(IllegalStateException.class, socket::receive));
    }
  }

  @Test
  void abnormalCloseWithoutAFailureIsACloseMessage() {
    try (JdkWebSocket socket = connect(List.of(CompletableFuture.completedFuture(null)))) {
      socket.sendText("fail");
      assertEquals(1011, socket.receive().closeStatus());
    }
  }

  @Test
  void noSubprotocolWhenNoneWasChosen() {
    try (JdkWebSocket socket = connect(List.of())) {
      assertNull(socket.subProtocol());
    }
  }
}
