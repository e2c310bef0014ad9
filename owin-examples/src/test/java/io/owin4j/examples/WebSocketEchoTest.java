package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WebSocketEchoTest {
  private final WebSocketEcho app = new WebSocketEcho();

  @Test
  void plainGetGets426WithUpgradeWebsocket() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/ws/echo");

    app.invoke(exchange.env);

    assertEquals(426, exchange.status());
    assertEquals("websocket", exchange.responseHeader("Upgrade"));
  }

  @Test
  void plainGetOverHttp2Gets400() throws Exception {
    TestExchange exchange =
        TestExchange.request("GET", "/ws/echo").with(OwinKeys.REQUEST_PROTOCOL, "HTTP/2.0");

    app.invoke(exchange.env);

    assertEquals(400, exchange.status());
    assertNull(exchange.responseHeader("Upgrade"));
  }

  @Test
  void acceptsWithEchoV1WhenTheClientOffersIt() throws Exception {
    RecordingAccept accept = new RecordingAccept();
    TestExchange exchange =
        TestExchange.request("GET", "/ws/echo")
            .header("Sec-WebSocket-Protocol", "chat, echo.v1")
            .with(WebSocketKeys.ACCEPT, accept);

    app.invoke(exchange.env).toCompletableFuture().get();

    assertEquals(Map.of(WebSocketKeys.SUB_PROTOCOL, "echo.v1"), accept.parameters);
    assertNotNull(accept.callback);
  }

  @Test
  void acceptsWithoutSubprotocolWhenTheClientOffersOthers() throws Exception {
    RecordingAccept accept = new RecordingAccept();
    TestExchange exchange =
        TestExchange.request("GET", "/ws/echo")
            .header("Sec-WebSocket-Protocol", "chat", "ECHO.V1")
            .with(WebSocketKeys.ACCEPT, accept);

    app.invoke(exchange.env).toCompletableFuture().get();

    assertNull(accept.parameters);
    assertNotNull(accept.callback);
  }

  @Test
  void echoesEachMessageWithItsTypeThenClosesBackWithTheClientsStatus() throws Exception {
    FakeSocket socket =
        new FakeSocket(null)
            .text("hello")
            .binary(new byte[] {1, 2, 3}, true)
            .closeWith(1001, "going away");

    accepted().invoke(socket.env).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(
        List.of(
            new Sent(WebSocketMessageTypes.TEXT, "hello".getBytes(StandardCharsets.UTF_8), true),
            new Sent(WebSocketMessageTypes.BINARY, new byte[] {1, 2, 3}, true)),
        socket.sent);
    assertEquals(List.of("1001 going away"), socket.closes);
  }

  @Test
  void fragmentsAreEchoedAsFragmentsOfTheSameMessage() throws Exception {
    FakeSocket socket =
        new FakeSocket(null)
            .binary(new byte[] {1, 2}, false)
            .binary(new byte[] {3}, true)
            .closeWith(1000, "");

    accepted().invoke(socket.env).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(
        List.of(
            new Sent(WebSocketMessageTypes.BINARY, new byte[] {1, 2}, false),
            new Sent(WebSocketMessageTypes.BINARY, new byte[] {3}, true)),
        socket.sent);
  }

  @Test
  void messageLargerThanTheBufferIsEchoedWhole() throws Exception {
    byte[] big = new byte[WebSocketEcho.BUFFER_SIZE * 2 + 10];
    Arrays.fill(big, (byte) 'x');
    FakeSocket socket = new FakeSocket(null).binary(big, true).closeWith(1000, "");

    accepted().invoke(socket.env).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertTrue(socket.sent.size() > 2, "the message came back in one part");
    assertTrue(
        socket.sent.stream().allMatch(sent -> sent.data().length <= WebSocketEcho.BUFFER_SIZE));
    assertEquals(false, socket.sent.get(0).endOfMessage());
    assertEquals(true, socket.sent.get(socket.sent.size() - 1).endOfMessage());
    ByteBuffer joined = ByteBuffer.allocate(big.length);
    socket.sent.forEach(sent -> joined.put(sent.data()));
    assertArrayEquals(big, joined.array());
  }

  @Test
  void aReceiveThatWaitsForTheNextMessageHoldsOnlyTheSmallBuffer() throws Exception {
    byte[] big = new byte[WebSocketEcho.BUFFER_SIZE * 2];
    FakeSocket socket =
        new FakeSocket(null).binary(big, true).binary(new byte[] {1}, true).closeWith(1000, "");

    accepted().invoke(socket.env).toCompletableFuture().get(10, TimeUnit.SECONDS);

    // The first receive, the one after the big message and the one before the close each wait
    // for a new message.
    assertEquals(WebSocketEcho.IDLE_BUFFER_SIZE, (int) socket.offered.get(0));
    assertEquals(
        WebSocketEcho.IDLE_BUFFER_SIZE, (int) socket.offered.get(socket.offered.size() - 1));
    assertEquals(
        WebSocketEcho.IDLE_BUFFER_SIZE, (int) socket.offered.get(socket.offered.size() - 2));
  }

  @Test
  void closeWithoutStatusIsAnsweredWithNormalClosure() throws Exception {
    FakeSocket socket = new FakeSocket(null).closeWith(null, null);

    accepted().invoke(socket.env).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(List.of("1000 "), socket.closes);
  }

  @Test
  void manyMessagesCompletingAtOnceDoNotGrowTheStack() throws Exception {
    FakeSocket socket = new FakeSocket(null);
    for (int i = 0; i < 50_000; i++) {
      socket.text("m");
    }
    socket.closeWith(1000, "");

    accepted().invoke(socket.env).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(50_000, socket.sent.size());
  }

  @Test
  void receivesCompletingOnAnotherThreadAreEchoedInOrder() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      FakeSocket socket = new FakeSocket(executor).text("one").text("two").closeWith(1000, "");

      accepted().invoke(socket.env).toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertEquals(2, socket.sent.size());
      assertEquals("two", new String(socket.sent.get(1).data(), StandardCharsets.UTF_8));
      assertEquals(List.of("1000 "), socket.closes);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void failedReceiveFailsTheCallbackStage() throws Exception {
    FakeSocket socket = new FakeSocket(null); // nothing queued: the receive fails

    CompletableFuture<Void> stage = accepted().invoke(socket.env).toCompletableFuture();

    assertTrue(stage.isCompletedExceptionally());
  }

  /** Runs the endpoint on a handshake request and returns the callback it accepted with. */
  private AppFunc accepted() throws Exception {
    RecordingAccept accept = new RecordingAccept();
    app.invoke(TestExchange.request("GET", "/ws/echo").with(WebSocketKeys.ACCEPT, accept).env);
    assertNotNull(accept.callback);
    return accept.callback;
  }

  private static final class RecordingAccept implements WebSocketAccept {
    @Nullable Map<String, Object> parameters;
    @Nullable AppFunc callback;

    @Override
    public void accept(@Nullable Map<String, Object> parameters, AppFunc callback) {
      this.parameters = parameters;
      this.callback = callback;
    }
  }

  record Sent(int type, byte[] data, boolean endOfMessage) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Sent sent
          && sent.type == type
          && Arrays.equals(sent.data, data)
          && sent.endOfMessage == endOfMessage;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return WebSocketMessageTypes.describe(type) + Arrays.toString(data) + endOfMessage;
    }
  }

  private record Frame(int type, ByteBuffer data, boolean endOfMessage) {}

  /**
   * A scripted WebSocket environment: receives hand out the queued frames in buffer-sized pieces, a
   * close frame sets the client-close keys; sends and closes are recorded. With an executor, every
   * operation completes on that executor's thread instead of at once.
   */
  private static final class FakeSocket {
    final Map<String, Object> env = new HashMap<>();
    final List<Sent> sent = new ArrayList<>();
    final List<Integer> offered = new ArrayList<>();
    final List<String> closes = new ArrayList<>();
    private final Deque<Frame> frames = new ArrayDeque<>();
    private final @Nullable ExecutorService executor;
    private @Nullable Integer closeStatus;
    private @Nullable String closeDescription;

    FakeSocket(@Nullable ExecutorService executor) {
      this.executor = executor;
      env.put(WebSocketKeys.RECEIVE_ASYNC, (WebSocketReceiveAsync) this::receive);
      env.put(WebSocketKeys.SEND_ASYNC, (WebSocketSendAsync) this::send);
      env.put(WebSocketKeys.CLOSE_ASYNC, (WebSocketCloseAsync) this::close);
      env.put(WebSocketKeys.CALL_CANCELLED, CancellationToken.NONE);
      env.put(WebSocketKeys.VERSION, WebSocketKeys.VERSION_VALUE);
    }

    FakeSocket text(String text) {
      frames.add(
          new Frame(
              WebSocketMessageTypes.TEXT,
              ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
              true));
      return this;
    }

    FakeSocket binary(byte[] data, boolean endOfMessage) {
      frames.add(new Frame(WebSocketMessageTypes.BINARY, ByteBuffer.wrap(data), endOfMessage));
      return this;
    }

    FakeSocket closeWith(@Nullable Integer status, @Nullable String description) {
      closeStatus = status;
      closeDescription = description;
      frames.add(new Frame(WebSocketMessageTypes.CLOSE, ByteBuffer.allocate(0), true));
      return this;
    }

    private CompletionStage<WebSocketReceiveResult> receive(
        ByteBuffer buffer, CancellationToken cancel) {
      offered.add(buffer.capacity());
      return complete(
          () -> {
            Frame frame = frames.peek();
            if (frame == null) {
              throw new IllegalStateException("receive after the script ended");
            }
            if (frame.type() == WebSocketMessageTypes.CLOSE) {
              frames.remove();
              if (closeStatus != null) {
                env.put(WebSocketKeys.CLIENT_CLOSE_STATUS, closeStatus);
              }
              if (closeDescription != null) {
                env.put(WebSocketKeys.CLIENT_CLOSE_DESCRIPTION, closeDescription);
              }
              return new WebSocketReceiveResult(WebSocketMessageTypes.CLOSE, true, 0);
            }
            int count = Math.min(buffer.remaining(), frame.data().remaining());
            ByteBuffer piece = frame.data().slice().limit(count);
            buffer.put(piece);
            frame.data().position(frame.data().position() + count);
            boolean whole = !frame.data().hasRemaining();
            if (whole) {
              frames.remove();
            }
            return new WebSocketReceiveResult(frame.type(), whole && frame.endOfMessage(), count);
          });
    }

    private CompletionStage<Void> send(
        ByteBuffer data, int type, boolean endOfMessage, CancellationToken cancel) {
      byte[] copy = new byte[data.remaining()];
      data.get(copy);
      return complete(
          () -> {
            sent.add(new Sent(type, copy, endOfMessage));
            return null;
          });
    }

    private CompletionStage<Void> close(int status, String description, CancellationToken cancel) {
      return complete(
          () -> {
            closes.add(status + " " + description);
            return null;
          });
    }

    private <T> CompletionStage<T> complete(java.util.function.Supplier<T> operation) {
      if (executor == null) {
        try {
          return CompletableFuture.completedFuture(operation.get());
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }
      return CompletableFuture.supplyAsync(operation, executor);
    }
  }
}
