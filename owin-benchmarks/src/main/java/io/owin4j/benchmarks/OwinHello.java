package io.owin4j.benchmarks;

import io.owin4j.api.OwinKeys;
import io.owin4j.api.io.AsyncWritable;
import io.owin4j.undertow.Dispatch;
import io.owin4j.undertow.OwinServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The OWIN side of the load comparison: plaintext hello through owin-undertow.
 *
 * <p>Usage: {@code OwinHello blocking|nonblocking PORT}. The blocking mode runs the application on
 * the worker executor and writes {@code owin.ResponseBody} as an {@code OutputStream}; the
 * non-blocking mode runs it on the IO thread and writes through {@link AsyncWritable}. Both send
 * the same bytes and headers as {@link PlainUndertowHello}. In the blocking mode {@code /echo}
 * answers with the request body, read from {@code owin.RequestBody}.
 */
public final class OwinHello {
  private static final String[] TEXT_PLAIN = {"text/plain"};
  private static final String[] LENGTH = {Integer.toString(PlainUndertowHello.BODY.length)};

  private OwinHello() {}

  /** Starts the server and prints {@code Listening on http://127.0.0.1:PORT/} when ready. */
  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: OwinHello blocking|nonblocking PORT");
      System.exit(2);
    }
    Probe.startIfAsked();
    OwinServer.Builder builder =
        OwinServer.builder().host("127.0.0.1").port(Integer.parseInt(args[1]));
    switch (args[0]) {
      case "blocking" -> builder.dispatch(Dispatch.WORKER).app(OwinHello::blocking);
      case "nonblocking" -> builder.dispatch(Dispatch.IO_THREAD).app(OwinHello::nonBlocking);
      default -> throw new IllegalArgumentException(
          "mode must be blocking or nonblocking, got \"" + args[0] + "\"");
    }
    OwinServer server = builder.build().start();
    System.out.println("Listening on http://127.0.0.1:" + server.port() + "/");
  }

  private static java.util.concurrent.CompletionStage<Void> blocking(Map<String, Object> env)
      throws Exception {
    if ("/echo".equals(env.get(OwinKeys.REQUEST_PATH))) {
      byte[] body = ((InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes();
      responseHeaders(env).put("Content-Type", TEXT_PLAIN);
      responseHeaders(env).put("Content-Length", new String[] {Integer.toString(body.length)});
      ((OutputStream) env.get(OwinKeys.RESPONSE_BODY)).write(body);
      return CompletableFuture.completedFuture(null);
    }
    setHeaders(env);
    ((OutputStream) env.get(OwinKeys.RESPONSE_BODY)).write(PlainUndertowHello.BODY);
    return CompletableFuture.completedFuture(null);
  }

  private static java.util.concurrent.CompletionStage<Void> nonBlocking(Map<String, Object> env) {
    setHeaders(env);
    AsyncWritable body = (AsyncWritable) env.get(OwinKeys.RESPONSE_BODY);
    return body.writeAsync(ByteBuffer.wrap(PlainUndertowHello.BODY));
  }

  private static void setHeaders(Map<String, Object> env) {
    Map<String, String[]> headers = responseHeaders(env);
    headers.put("Content-Type", TEXT_PLAIN);
    headers.put("Content-Length", LENGTH);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String[]> responseHeaders(Map<String, Object> env) {
    return (Map<String, String[]>) env.get(OwinKeys.RESPONSE_HEADERS);
  }

}
