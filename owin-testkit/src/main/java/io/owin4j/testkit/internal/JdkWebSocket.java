package io.owin4j.testkit.internal;

import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.testkit.TestTimeoutException;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.WebSocketMessage;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The test's end of a WebSocket to a real server, over the JDK WebSocket client.
 *
 * <p>The listener joins fragments into whole messages and queues them; the JDK client answers the
 * server's close itself. When the connection ends abnormally (an error, or a close with 1006 or
 * 1011) and exceptions propagate, the kept outcomes of the request and its callback are asked
 * whether the application failed, and that failure is thrown from {@link #receive} instead.
 */
final class JdkWebSocket implements TestWebSocket {
  /** What the listener queues: a message, or the end of the connection. */
  private record Arrival(@Nullable WebSocketMessage message, @Nullable Throwable error) {}

  private final BlockingQueue<Arrival> inbox = new LinkedBlockingQueue<>();
  private final List<WebSocketMessage> controlFrames = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Duration timeout;
  private final List<CompletableFuture<@Nullable Throwable>> outcomes;
  private final Object sendLock = new Object();
  private final OutgoingFrames outgoing = new OutgoingFrames();
  private @Nullable WebSocket socket;
  private boolean closeReceived;

  /**
   * Creates the end; {@link #listener()} goes to the JDK builder, then {@link #opened} gets the
   * socket.
   *
   * @param outcomes the kept outcomes to ask on an abnormal end; empty when exceptions do not
   *     propagate
   */
  JdkWebSocket(Duration timeout, List<CompletableFuture<@Nullable Throwable>> outcomes) {
    this.timeout = timeout;
    this.outcomes = outcomes;
  }

  /** The listener that feeds this end. */
  WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();
      private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

      @Override
      public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
      }

      @Override
      public @Nullable CompletionStage<?> onText(
          WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          inbox.add(new Arrival(WebSocketMessage.text(text.toString()), null));
          text.setLength(0);
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public @Nullable CompletionStage<?> onBinary(
          WebSocket webSocket, ByteBuffer data, boolean last) {
        binary.writeBytes(FrameQueue.remainingBytes(data));
        if (last) {
          inbox.add(new Arrival(WebSocketMessage.binary(binary.toByteArray()), null));
          binary.reset();
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        // The JDK client answers with a pong of its own.
        controlFrames.add(WebSocketMessage.ping(FrameQueue.remainingBytes(message)));
        webSocket.request(1);
        return null;
      }

      @Override
      public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        controlFrames.add(WebSocketMessage.pong(FrameQueue.remainingBytes(message)));
        webSocket.request(1);
        return null;
      }

      @Override
      public @Nullable CompletionStage<?> onClose(
          WebSocket webSocket, int statusCode, String reason) {
        synchronized (sendLock) {
          outgoing.markClosed();
        }
        inbox.add(new Arrival(WebSocketMessage.close(statusCode, reason), null));
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        synchronized (sendLock) {
          outgoing.markClosed();
        }
        inbox.add(new Arrival(null, error));
      }
    };
  }

  @Override
  public List<WebSocketMessage> receivedControlFrames() {
    return List.copyOf(controlFrames);
  }

  /** Hands over the open socket. */
  void opened(WebSocket socket) {
    this.socket = socket;
  }

  private WebSocket socket() {
    return Objects.requireNonNull(socket, "the WebSocket is not open yet");
  }

  @Override
  public @Nullable String subProtocol() {
    String chosen = socket().getSubprotocol();
    return chosen == null || chosen.isEmpty() ? null : chosen;
  }

  @Override
  public void sendText(String text) {
    Objects.requireNonNull(text, "text");
    send(WebSocketMessageTypes.TEXT, true, () -> socket().sendText(text, true));
  }

  @Override
  public void sendBinary(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    ByteBuffer copy = ByteBuffer.wrap(bytes.clone());
    send(WebSocketMessageTypes.BINARY, true, () -> socket().sendBinary(copy, true));
  }

  @Override
  public void sendFragment(String text, boolean last) {
    Objects.requireNonNull(text, "text");
    send(WebSocketMessageTypes.TEXT, last, () -> socket().sendText(text, last));
  }

  @Override
  public void sendFragment(ByteBuffer bytes, boolean last) {
    Objects.requireNonNull(bytes, "bytes");
    ByteBuffer copy = ByteBuffer.wrap(FrameQueue.remainingBytes(bytes));
    send(WebSocketMessageTypes.BINARY, last, () -> socket().sendBinary(copy, last));
  }

  private void send(
      int type, boolean last, java.util.function.Supplier<CompletableFuture<WebSocket>> sending) {
    synchronized (sendLock) {
      outgoing.check(type);
      Waiting.await(
          sending.get(),
          timeout,
          "handing a " + WebSocketMessageTypes.describe(type) + " frame to the server");
      outgoing.sent(type, last);
    }
  }

  @Override
  public WebSocketMessage receive() {
    return receive(timeout);
  }

  @Override
  public synchronized WebSocketMessage receive(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (closeReceived) {
      throw new IllegalStateException(
          "the close was already received; the application sends nothing more");
    }
    Arrival arrival;
    try {
      arrival = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a WebSocket message", e);
    }
    if (arrival == null) {
      throw new TestTimeoutException("no WebSocket message arrived within " + timeout);
    }
    WebSocketMessage message = arrival.message();
    if (message != null && message.type() != WebSocketMessage.Type.CLOSE) {
      return message;
    }
    closeReceived = true;
    boolean abnormal =
        message == null
            || message.closeStatus() == WebSocketMessage.ABNORMAL_CLOSURE
            || message.closeStatus() == 1011;
    if (abnormal) {
      for (CompletableFuture<@Nullable Throwable> outcome : outcomes) {
        Throwable failure = RemoteProbe.await(outcome, this.timeout);
        if (failure != null) {
          throw Failures.unchecked(failure);
        }
      }
    }
    return message != null
        ? message
        : WebSocketMessage.close(WebSocketMessage.ABNORMAL_CLOSURE, "");
  }

  @Override
  public void close(int status, String reason) {
    Objects.requireNonNull(reason, "reason");
    OutgoingFrames.checkClose(status, reason);
    synchronized (sendLock) {
      if (!outgoing.markClosed()) {
        throw new IllegalStateException("this side already sent its close");
      }
      Waiting.await(
          socket().sendClose(status, reason), timeout, "handing the close frame to the server");
    }
  }

  @Override
  public void close() {
    synchronized (sendLock) {
      if (outgoing.markClosed() && !socket().isOutputClosed()) {
        try {
          Waiting.await(
              socket().sendClose(WebSocket.NORMAL_CLOSURE, ""),
              timeout,
              "handing the close frame to the server");
        } catch (UncheckedIOException alreadyGone) {
          // The connection is closed already, which is what close asks for.
        }
      }
    }
  }

  @Override
  public void abort() {
    synchronized (sendLock) {
      outgoing.markClosed();
    }
    socket().abort();
  }

  @Override
  public String toString() {
    return "TestWebSocket{undertow}";
  }
}
