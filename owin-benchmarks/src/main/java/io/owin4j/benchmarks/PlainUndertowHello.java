package io.owin4j.benchmarks;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The baseline of the load comparison: plaintext hello on Undertow alone, with no OWIN layer.
 *
 * <p>Usage: {@code PlainUndertowHello blocking|nonblocking PORT}. The blocking mode dispatches to
 * Undertow's worker pool and writes through the blocking output stream, as an OWIN application
 * using {@code owin.ResponseBody} does; the non-blocking mode answers on the IO thread. In the
 * blocking mode {@code /echo} answers with the request body. HTTP/2 is on (h2c by prior knowledge
 * or upgrade), as it is by default on an {@code OwinServer}.
 */
public final class PlainUndertowHello {
  static final byte[] BODY = "Hello World".getBytes(StandardCharsets.US_ASCII);

  private PlainUndertowHello() {}

  /** Starts the server and prints {@code Listening on http://127.0.0.1:PORT/} when ready. */
  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: PlainUndertowHello blocking|nonblocking PORT");
      System.exit(2);
    }
    HttpHandler handler =
        switch (args[0]) {
          case "blocking" -> new BlockingHello();
          case "nonblocking" -> PlainUndertowHello::nonBlocking;
          default -> throw new IllegalArgumentException(
              "mode must be blocking or nonblocking, got \"" + args[0] + "\"");
        };
    Probe.startIfAsked();
    int port = Integer.parseInt(args[1]);
    Undertow server =
        Undertow.builder()
            .addHttpListener(port, "127.0.0.1")
            .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
            .setHandler(handler)
            .build();
    server.start();
    System.out.println("Listening on http://127.0.0.1:" + port + "/");
  }

  private static void nonBlocking(io.undertow.server.HttpServerExchange exchange) {
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, BODY.length);
    exchange.getResponseSender().send(ByteBuffer.wrap(BODY));
  }

  private static final class BlockingHello implements HttpHandler {
    @Override
    public void handleRequest(io.undertow.server.HttpServerExchange exchange) throws Exception {
      if (exchange.isInIoThread()) {
        exchange.dispatch(this);
        return;
      }
      exchange.startBlocking();
      byte[] body = BODY;
      if (exchange.getRequestPath().equals("/echo")) {
        body = exchange.getInputStream().readAllBytes();
      }
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
      exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
      exchange.getOutputStream().write(body);
    }
  }
}
