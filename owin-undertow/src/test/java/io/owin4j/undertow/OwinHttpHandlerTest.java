package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handler inside an existing Undertow handler chain. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OwinHttpHandlerTest {
  private static final AppFunc PATHS =
      env -> {
        write(
            env,
            "base=" + env.get(OwinKeys.REQUEST_PATH_BASE) + " path=" + env.get(OwinKeys.REQUEST_PATH));
        return done();
      };

  private Undertow undertow;

  private URI start(HttpHandler root) {
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(root).build();
    undertow.start();
    InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
    return URI.create("http://127.0.0.1:" + address.getPort() + "/");
  }

  @AfterEach
  void stop() {
    undertow.stop();
  }

  private static String body(URI uri) throws Exception {
    HttpResponse<String> response = Servers.get(Servers.HTTP_1_1, uri);
    return response.body();
  }

  @Test
  void prefixOfAPathHandlerBecomesThePathBase() throws Exception {
    URI root = start(Handlers.path().addPrefixPath("/owin", OwinHttpHandler.of(PATHS)));

    assertEquals("base=/owin path=/a/b", body(root.resolve("/owin/a/b")));
    assertEquals("base=/owin path=", body(root.resolve("/owin")));
  }

  @Test
  void otherHandlersOfTheChainKeepTheirRequests() throws Exception {
    URI root =
        start(
            Handlers.path()
                .addPrefixPath("/owin", OwinHttpHandler.of(PATHS))
                .addPrefixPath(
                    "/plain", exchange -> exchange.getResponseSender().send("plain undertow")));

    assertEquals("plain undertow", body(root.resolve("/plain")));
    assertEquals("base=/owin path=/x", body(root.resolve("/owin/x")));
  }

  @Test
  void handlerAtTheRootHasAnEmptyPathBase() throws Exception {
    URI root = start(OwinHttpHandler.builder(PATHS).dispatch(Dispatch.IO_THREAD).build());

    assertEquals("base= path=/a", body(root.resolve("/a")));
  }
}
