package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.responseHeaders;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.features.RequestLifetimeFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the client sees when the application fails, and that the server stays healthy. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FailureTest {
  private static final String GET = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";
  private static final Logger HANDLER_LOG =
      Logger.getLogger("io.owin4j.undertow.OwinHttpHandler");
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLog() {
    HANDLER_LOG.addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    HANDLER_LOG.removeHandler(capture);
  }

  /** Fails on {@code /fail}, answers "ok" elsewhere. */
  private static AppFunc failingOn(AppFunc failure) {
    return env -> {
      if ("/fail".equals(env.get(OwinKeys.REQUEST_PATH))) {
        return failure.invoke(env);
      }
      write(env, "ok");
      return done();
    };
  }

  private static final String FAIL = "GET /fail HTTP/1.1\r\nHost: test\r\n\r\n";

  @Test
  void exceptionBeforeTheResponseStartedGives500WithoutStackTrace() throws Exception {
    AppFunc app =
        failingOn(
            env -> {
              responseHeaders(env).put("X-Before", new String[] {"set"});
              throw new IllegalStateException("secret detail");
            });
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      RawClient.Response failed = client.send(FAIL).read();
      RawClient.Response next = client.send(GET).read();

      assertEquals(500, failed.status());
      assertEquals("", failed.bodyText());
      assertNull(failed.header("x-before"));
      assertEquals("ok", next.bodyText());
    }
    assertTrue(
        logged.stream()
            .anyMatch(
                r ->
                    r.getLevel() == Level.SEVERE
                        && r.getThrown() != null
                        && "secret detail".equals(r.getThrown().getMessage())),
        "the failure is logged");
  }

  @Test
  void failedStageBeforeTheResponseStartedGives500() throws Exception {
    AppFunc app =
        failingOn(
            env ->
                CompletableFuture.supplyAsync(
                    () -> {
                      throw new IllegalArgumentException("later");
                    }));
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      assertEquals(500, client.send(FAIL).read().status());
      assertEquals("ok", client.send(GET).read().bodyText());
    }
  }

  @Test
  void unflushedBodyIsDroppedForThe500() throws Exception {
    AppFunc app =
        failingOn(
            env -> {
              write(env, "half a page");
              throw new IllegalStateException("broke");
            });
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      RawClient.Response failed = client.send(FAIL).read();

      assertEquals(500, failed.status());
      assertEquals("", failed.bodyText());
    }
  }

  @Test
  void onStartingCallbackThatThrowsGives500() throws Exception {
    AppFunc app =
        failingOn(
            env -> {
              ((OnSendingHeaders) env.get(ServerKeys.ON_SENDING_HEADERS))
                  .register(
                      state -> {
                        throw new IllegalStateException("callback broke");
                      },
                      "state");
              return done();
            });
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      assertEquals(500, client.send(FAIL).read().status());
      assertEquals("ok", client.send(GET).read().bodyText());
    }
  }

  @Test
  void failureAfterAFlushAbortsTheConnection() throws Exception {
    AppFunc app =
        failingOn(
            env -> {
              OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
              body.write("partial".getBytes());
              body.flush();
              throw new IllegalStateException("too late for a 500");
            });
    try (OwinServer server = Servers.start(app)) {
      try (RawClient client = new RawClient(server.port())) {
        RawClient.Response head = client.send(FAIL).readHeadOnly();
        client.readChunk();

        assertEquals(200, head.status());
        assertTrue(client.closedByServer(), "no last chunk: the connection is closed");
      }
      assertEquals("ok", Servers.get(server, "/").body());
    }
  }

  @Test
  void http2FailureAfterTheResponseStartedResetsOnlyThatStream() throws Exception {
    AppFunc app =
        failingOn(
            env -> {
              OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
              body.write("partial".getBytes());
              body.flush();
              return CompletableFuture.failedFuture(new IllegalStateException("broke"));
            });
    HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    try (OwinServer server = Servers.start(app)) {
      HttpResponse<String> first = Servers.get(http2, server.uri());
      assertEquals(HttpClient.Version.HTTP_2, first.version());

      assertThrows(IOException.class, () -> Servers.get(http2, server.uri().resolve("/fail")));

      HttpResponse<String> after = Servers.get(http2, server.uri());
      assertEquals("ok", after.body());
      assertEquals(HttpClient.Version.HTTP_2, after.version());
    }
  }

  @Test
  void applicationReturningANullStageGives500() throws Exception {
    try (OwinServer server = Servers.start(failingOn(env -> null));
        RawClient client = new RawClient(server.port())) {
      assertEquals(500, client.send(FAIL).read().status());
    }
  }

  @Test
  void abortClosesTheConnectionAndCancelsTheRequest() throws Exception {
    CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
    AppFunc app =
        failingOn(
            env -> {
              CancellationToken token = (CancellationToken) env.get(OwinKeys.CALL_CANCELLED);
              Servers.features(env).require(RequestLifetimeFeature.class).abort();
              cancelled.complete(token.isCancellationRequested());
              return done();
            });
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      client.send(FAIL);

      assertTrue(client.closedByServer());
      assertTrue(cancelled.get(5, TimeUnit.SECONDS));
      assertFalse(logged.stream().anyMatch(r -> r.getLevel() == Level.SEVERE));
    }
  }
}
