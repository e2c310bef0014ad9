package io.owin4j.benchmarks;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.nio.ByteBuffer;
import org.xnio.Pooled;

/**
 * The baseline of the WebSocket comparison: an echo on Undertow's own WebSocket API, with no OWIN
 * layer; every other request gets 426.
 *
 * <p>Usage: {@code PlainUndertowWebSocketEcho none|deflate PORT}: {@code deflate} adds Undertow's
 * own {@code permessage-deflate} ({@link PerMessageDeflateHandshake}), {@code none} offers no
 * extension.
 */
public final class PlainUndertowWebSocketEcho {
  private PlainUndertowWebSocketEcho() {}

  /** Starts the server and prints {@code Listening on ws://127.0.0.1:PORT/} when ready. */
  public static void main(String[] args) {
    if (args.length != 2 || !(args[0].equals("none") || args[0].equals("deflate"))) {
      System.err.println("usage: PlainUndertowWebSocketEcho none|deflate PORT");
      System.exit(2);
    }
    Probe.startIfAsked();
    WebSocketProtocolHandshakeHandler handshake =
        Handlers.websocket(new Echo(), PlainUndertowWebSocketEcho::upgradeRequired);
    if (args[0].equals("deflate")) {
      handshake.addExtension(new PerMessageDeflateHandshake());
    }
    int port = Integer.parseInt(args[1]);
    Undertow.builder().addHttpListener(port, "127.0.0.1").setHandler(handshake).build().start();
    System.out.println("Listening on ws://127.0.0.1:" + port + "/");
  }

  private static void upgradeRequired(HttpServerExchange exchange) {
    exchange.setStatusCode(426).endExchange();
  }

  /** Sends every message back whole, text as text and binary as binary. */
  private static final class Echo implements WebSocketConnectionCallback {
    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
      channel.getReceiveSetter().set(
          new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel socket, BufferedTextMessage message) {
              WebSockets.sendText(message.getData(), socket, null);
            }

            @Override
            protected void onFullBinaryMessage(
                WebSocketChannel socket, BufferedBinaryMessage message) {
              Pooled<ByteBuffer[]> data = message.getData();
              WebSockets.sendBinary(
                  data.getResource(),
                  socket,
                  new WebSocketCallback<Void>() {
                    @Override
                    public void complete(WebSocketChannel channel, Void context) {
                      data.free();
                    }

                    @Override
                    public void onError(WebSocketChannel channel, Void context, Throwable e) {
                      data.free();
                    }
                  });
            }
          });
      channel.resumeReceives();
    }
  }
}
