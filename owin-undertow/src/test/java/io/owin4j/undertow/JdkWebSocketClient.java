package io.owin4j.undertow;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's WebSocket client, gathering whole messages: texts as {@link String}, binaries as {@code
 * byte[]}.
 */
final class JdkWebSocketClient implements WebSocket.Listener {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  /** A close the server sent. */
  record Closed(int status, String reason) {}

  final WebSocket socket;
  private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

  private JdkWebSocketClient(HttpClient client, URI uri, String... subProtocols) {
    WebSocket.Builder builder = client.newWebSocketBuilder();
    if (subProtocols.length > 0) {
      builder.subprotocols(
          subProtocols[0], Arrays.copyOfRange(subProtocols, 1, subProtocols.length));
    }
    socket = builder.buildAsync(uri, this).join();
  }

  /** Connects to {@code server} at {@code path}, offering {@code subProtocols}. */
  static JdkWebSocketClient connect(OwinServer server, String path, String... subProtocols) {
    URI uri = URI.create("ws://127.0.0.1:" + server.port() + path);
    return new JdkWebSocketClient(CLIENT, uri, subProtocols);
  }

  /** Connects to {@code uri} with {@code client}, which may speak TLS. */
  static JdkWebSocketClient connect(HttpClient client, URI uri) {
    return new JdkWebSocketClient(client, uri);
  }

  /** The next whole message, waiting up to 10 seconds. */
  Object next() throws InterruptedException {
    Object message = messages.poll(10, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("no message arrived within 10 seconds");
    }
    return message;
  }

  /** The close the server sent (or 1006 with the failure, when the connection was lost). */
  Closed closed() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      messages.add(text.toString());
      text.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    binary.writeBytes(bytes);
    if (last) {
      messages.add(binary.toByteArray());
      binary.reset();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(new Closed(1006, String.valueOf(error)));
  }
}
