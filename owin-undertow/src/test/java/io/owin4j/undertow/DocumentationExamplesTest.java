package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OwinKeys;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples of this module's Javadoc, compiled and run. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DocumentationExamplesTest {
  private static final AppFunc app =
      env -> {
        write(env, "hello");
        return CompletableFuture.completedFuture(null);
      };

  private static String slowLookup() {
    return "looked up";
  }

  @Test
  void owinServerExample() throws Exception {
    String body;
    // OwinServer's class Javadoc:
    try (OwinServer server = OwinServer.builder().port(0).app(app).build().start()) {
      System.out.println("listening on " + server.uri());
      body = Servers.get(server, "/").body();
    }

    assertEquals("hello", body);
  }

  @Test
  void configureExample() throws Exception {
    MidFunc logging =
        next ->
            env -> {
              System.out.println(env.get(OwinKeys.REQUEST_METHOD) + " " + env.get(OwinKeys.REQUEST_PATH));
              return next.invoke(env);
            };
    AppFunc apiApp = app;
    // OwinServer.Builder#configure's Javadoc:
    OwinServer server = OwinServer.builder()
        .configure(app -> app.use(logging).map("/api", api -> api.run(apiApp)))
        .build();

    try (server) {
      server.start();
      assertEquals("hello", Servers.get(server, "/api/items").body());
      assertEquals(404, Servers.get(server, "/elsewhere").statusCode());
    }
  }

  @Test
  void owinHttpHandlerExample() throws Exception {
    HttpHandler resourceHandler = exchange -> exchange.getResponseSender().send("static");
    // OwinHttpHandler's class Javadoc:
    HttpHandler chain = Handlers.path()
        .addPrefixPath("/owin", OwinHttpHandler.of(app))   // owin.RequestPathBase is "/owin"
        .addPrefixPath("/static", resourceHandler);
    Undertow undertow =
        Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(chain).build();
    undertow.start();
    try {
      int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
      URI root = URI.create("http://127.0.0.1:" + port + "/");

      assertEquals("hello", Servers.get(Servers.HTTP_1_1, root.resolve("/owin/x")).body());
      assertEquals("static", Servers.get(Servers.HTTP_1_1, root.resolve("/static")).body());
    } finally {
      undertow.stop();
    }
  }

  @Test
  void dispatchIoThreadExample() throws Exception {
    ExecutorService lookupExecutor = Executors.newSingleThreadExecutor();
    try {
      // Dispatch.IO_THREAD's Javadoc, the right way:
      AppFunc right = env ->
          CompletableFuture.supplyAsync(() -> slowLookup(), lookupExecutor)
              .thenAccept(text -> write(env, text));

      try (OwinServer server =
          Servers.start(right, builder -> builder.dispatch(Dispatch.IO_THREAD))) {
        assertEquals("looked up", Servers.get(server, "/").body());
      }
    } finally {
      lookupExecutor.shutdownNow();
    }
  }
}
