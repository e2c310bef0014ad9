package com.example.greeter;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.undertow.OwinServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Greets on every path; written against owin-api alone, hosted by owin-undertow. */
public final class Greeter {
  private Greeter() {}

  /** The application. */
  public static final AppFunc APP =
      env -> {
        byte[] body = ("Hello from " + env.get(OwinKeys.REQUEST_PATH)).getBytes(StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, String[]> headers = (Map<String, String[]>) env.get(OwinKeys.RESPONSE_HEADERS);
        headers.put("Content-Type", new String[] {"text/plain; charset=utf-8"});
        ((OutputStream) env.get(OwinKeys.RESPONSE_BODY)).write(body);
        return CompletableFuture.completedFuture(null);
      };

  /** Serves {@link #APP} on the PORT and HOST of the environment. */
  public static void main(String[] args) {
    OwinServer server = OwinServer.fromEnvironment().shutdownHook(true).app(APP).build().start();
    System.out.println("Listening on " + server.uri());
  }
}
