package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP/1.x edges, spoken over a raw socket. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProtocolEdgesTest {
  private final AtomicInteger invocations = new AtomicInteger();

  private final AppFunc echoPath =
      env -> {
        invocations.incrementAndGet();
        write(env, (String) env.get(OwinKeys.REQUEST_PATH));
        return done();
      };

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (OwinServer server = Servers.start(echoPath);
        RawClient client = new RawClient(server.port())) {
      client.send(
          "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
              + "GET /two HTTP/1.1\r\nHost: x\r\n\r\n"
              + "GET /three HTTP/1.1\r\nHost: x\r\n\r\n");

      assertEquals("/one", client.read().bodyText());
      assertEquals("/two", client.read().bodyText());
      assertEquals("/three", client.read().bodyText());
    }
  }

  @Test
  void http10RequestGetsAnHttp10ResponseAndTheConnectionCloses() throws Exception {
    try (OwinServer server = Servers.start(echoPath);
        RawClient client = new RawClient(server.port())) {
      RawClient.Response response = client.send("GET /old HTTP/1.0\r\n\r\n").read();

      assertEquals("HTTP/1.0 200 OK", response.statusLine());
      assertEquals("/old", response.bodyText());
      assertTrue(client.closedByServer());
    }
  }

  @Test
  void declaredBodyOverTheLimitGets413WithoutRunningTheApplication() throws Exception {
    try (OwinServer server = Servers.start(echoPath, builder -> builder.maxBodySize(1000));
        RawClient client = new RawClient(server.port())) {
      RawClient.Response response =
          client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n").readHeadOnly();

      assertEquals(413, response.status());
      assertEquals(0, invocations.get());
    }
  }

  @Test
  void chunkedBodyOverTheLimitFailsTheReadAndClosesTheConnection() throws Exception {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    AppFunc reader =
        env -> {
          try {
            ((InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes();
          } catch (IOException e) {
            failure.complete(e);
          }
          return done();
        };
    try (OwinServer server = Servers.start(reader, builder -> builder.maxBodySize(1000));
        RawClient client = new RawClient(server.port())) {
      String chunk = Integer.toHexString(2000) + "\r\n" + "z".repeat(2000) + "\r\n";
      client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk);

      Throwable readFailure = failure.get(10, TimeUnit.SECONDS);

      assertTrue(client.closedByServer());
      assertInstanceOf(IOException.class, readFailure);
      assertTrue(readFailure.getMessage().contains("1000"), readFailure.getMessage());
    }
  }

  @Test
  void headerSectionOverTheLimitIsRefused() throws Exception {
    try (OwinServer server = Servers.start(echoPath, builder -> builder.maxHeaderSize(2048));
        RawClient client = new RawClient(server.port())) {
      RawClient.Response response =
          client
              .send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(4096) + "\r\n\r\n")
              .readHeadOnly();

      assertEquals(400, response.status());
      assertEquals(0, invocations.get());
    }
  }

  @Test
  void idleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (OwinServer server =
            Servers.start(echoPath, builder -> builder.idleTimeout(Duration.ofMillis(300)));
        RawClient client = new RawClient(server.port())) {
      assertEquals("/", client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText());

      assertTrue(client.closedByServer());
    }
  }

  @Test
  void requestHeadThatNeverCompletesIsCutOffAfterTheParseTimeout() throws Exception {
    try (OwinServer server =
            Servers.start(echoPath, builder -> builder.requestParseTimeout(Duration.ofMillis(300)));
        RawClient client = new RawClient(server.port())) {
      client.send("GET / HTTP/1.1\r\nHost: x\r\n");

      assertTrue(client.closedByServer());
      assertEquals(0, invocations.get());
    }
  }

  @Test
  void expectContinueIsAnsweredWhenTheBodyIsRead() throws Exception {
    AppFunc echoBody =
        env -> {
          byte[] body = ((InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes();
          write(env, new String(body, StandardCharsets.UTF_8));
          return done();
        };
    try (OwinServer server = Servers.start(echoBody);
        RawClient client = new RawClient(server.port())) {
      client.send(
          "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      RawClient.Response interim = client.readHeadOnly();
      client.send("hello");

      assertEquals(100, interim.status());
      assertEquals("hello", client.read().bodyText());
    }
  }
}
