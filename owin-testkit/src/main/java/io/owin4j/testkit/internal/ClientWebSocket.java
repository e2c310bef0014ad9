package io.owin4j.testkit.internal;

import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.core.host.WebSocketProtocol;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.WebSocketMessage;
import io.owin4j.testkit.internal.FrameQueue.Frame;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The test's end of an in-memory WebSocket. */
final class ClientWebSocket implements TestWebSocket {
  private final WebSocketPair pair;
  private final @Nullable String subProtocol;
  private final Duration timeout;
  private final Object sendLock = new Object();
  private final Object receiveLock = new Object();
  private final OutgoingFrames outgoing = new OutgoingFrames();
  private boolean closeReceived;
  private final java.util.List<WebSocketMessage> controlFrames =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  ClientWebSocket(WebSocketPair pair, @Nullable String subProtocol, Duration timeout) {
    this.pair = pair;
    this.subProtocol = subProtocol;
    this.timeout = timeout;
  }

  @Override
  public @Nullable String subProtocol() {
    return subProtocol;
  }

  @Override
  public void sendText(String text) {
    Objects.requireNonNull(text, "text");
    send(WebSocketMessageTypes.TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  @Override
  public void sendBinary(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    send(WebSocketMessageTypes.BINARY, bytes.clone(), true);
  }

  @Override
  public void sendFragment(String text, boolean last) {
    Objects.requireNonNull(text, "text");
    send(WebSocketMessageTypes.TEXT, text.getBytes(StandardCharsets.UTF_8), last);
  }

  @Override
  public void sendFragment(ByteBuffer bytes, boolean last) {
    Objects.requireNonNull(bytes, "bytes");
    send(WebSocketMessageTypes.BINARY, FrameQueue.remainingBytes(bytes), last);
  }

  private void send(int type, byte[] payload, boolean last) {
    synchronized (sendLock) {
      outgoing.check(type);
      Waiting.await(
          pair.fromClient().offer(new Frame(type, payload, last)),
          timeout,
          "handing a " + WebSocketMessageTypes.describe(type) + " frame to the application");
      outgoing.sent(type, last);
    }
  }

  @Override
  public WebSocketMessage receive() {
    return receive(timeout);
  }

  @Override
  public WebSocketMessage receive(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    synchronized (receiveLock) {
      if (closeReceived) {
        throw new IllegalStateException(
            "the close was already received; the application sends nothing more");
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      while (true) {
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        Frame frame = pair.toClient().poll(left);
        if (frame == null) {
          closeReceived = true;
          Throwable failure = pair.toClient().failure();
          if (failure != null) {
            throw Failures.unchecked(failure);
          }
          synchronized (sendLock) {
            outgoing.markClosed();
          }
          return WebSocketMessage.close(WebSocketMessage.ABNORMAL_CLOSURE, "");
        }
        if (frame.type() == WebSocketMessageTypes.CLOSE) {
          closeReceived = true;
          WebSocketProtocol.Close close = frame.close();
          answerClose(close);
          return WebSocketMessage.close(close.status(), close.description());
        }
        if (!WebSocketProtocol.isData(frame.type())) {
          // A client answers pings itself, and the in-memory host has no use for the pong.
          controlFrames.add(
              frame.type() == WebSocketMessageTypes.PING
                  ? WebSocketMessage.ping(frame.payload())
                  : WebSocketMessage.pong(frame.payload()));
          continue;
        }
        message.writeBytes(frame.payload());
        if (frame.last()) {
          return frame.type() == WebSocketMessageTypes.TEXT
              ? WebSocketMessage.text(message.toString(StandardCharsets.UTF_8))
              : WebSocketMessage.binary(message.toByteArray());
        }
      }
    }
  }

  /**
   * Answers the application's close with its status and no reason, as the JDK client does, unless
   * this side closed first.
   */
  private void answerClose(WebSocketProtocol.Close close) {
    synchronized (sendLock) {
      if (outgoing.markClosed()) {
        pair.fromClient().offer(Frame.close(new WebSocketProtocol.Close(close.status(), "")));
      }
    }
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
          pair.fromClient().offer(Frame.close(new WebSocketProtocol.Close(status, reason))),
          timeout,
          "handing the close frame to the application");
    }
  }

  @Override
  public void close() {
    synchronized (sendLock) {
      if (outgoing.markClosed()) {
        try {
          Waiting.await(
              pair.fromClient().offer(Frame.close(new WebSocketProtocol.Close(1000, ""))),
              timeout,
              "handing the close frame to the application");
        } catch (UncheckedIOException alreadyGone) {
          // The connection is closed already, which is what close asks for.
        }
      }
    }
  }

  @Override
  public java.util.List<WebSocketMessage> receivedControlFrames() {
    return java.util.List.copyOf(controlFrames);
  }

  @Override
  public void abort() {
    synchronized (sendLock) {
      outgoing.markClosed();
    }
    pair.connectionLost();
  }

  @Override
  public String toString() {
    return "TestWebSocket{in-memory" + (subProtocol == null ? "" : ", " + subProtocol) + "}";
  }
}
