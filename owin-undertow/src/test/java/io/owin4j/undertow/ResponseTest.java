package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.responseHeaders;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Status, headers and body as the client receives them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResponseTest {
  private static final String GET = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

  private static RawClient.Response exchange(AppFunc app, String request) throws Exception {
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      return client.send(request).read();
    }
  }

  @Test
  void statusReasonAndHeadersReachTheClient() throws Exception {
    RawClient.Response response =
        exchange(
            env -> {
              env.put(OwinKeys.RESPONSE_STATUS_CODE, 418);
              env.put(OwinKeys.RESPONSE_REASON_PHRASE, "Short And Stout");
              responseHeaders(env).put("X-Multi", new String[] {"a", "b"});
              return done();
            },
            GET);

    assertEquals("HTTP/1.1 418 Short And Stout", response.statusLine());
    assertEquals(List.of("a", "b"), response.headers().get("x-multi"));
  }

  @Test
  void statusIs200UnlessSet() throws Exception {
    assertEquals(200, exchange(env -> done(), GET).status());
  }

  @Test
  void bodyThatFitsTheBufferGetsAContentLength() throws Exception {
    RawClient.Response response =
        exchange(
            env -> {
              write(env, "hello, ");
              write(env, "world");
              return done();
            },
            GET);

    assertEquals("12", response.header("content-length"));
    assertNull(response.header("transfer-encoding"));
    assertEquals("hello, world", response.bodyText());
  }

  @Test
  void emptyBodyGetsContentLengthZero() throws Exception {
    RawClient.Response response = exchange(env -> done(), GET);

    assertEquals("0", response.header("content-length"));
  }

  @Test
  void bodyLargerThanTheBufferIsChunked() throws Exception {
    String big = "x".repeat(100_000);
    RawClient.Response response =
        exchange(
            env -> {
              write(env, big);
              return done();
            },
            GET);

    assertEquals("chunked", response.header("transfer-encoding"));
    assertEquals(big, response.bodyText());
  }

  @Test
  void contentLengthSetByTheApplicationIsKept() throws Exception {
    String big = "y".repeat(100_000);
    RawClient.Response response =
        exchange(
            env -> {
              responseHeaders(env).put("Content-Length", new String[] {"100000"});
              write(env, big);
              return done();
            },
            GET);

    assertEquals("100000", response.header("content-length"));
    assertNull(response.header("transfer-encoding"));
    assertEquals(big, response.bodyText());
  }

  @Test
  void headResponseHasHeadersButNoBody() throws Exception {
    AppFunc app =
        env -> {
          write(env, "body of a GET");
          return done();
        };
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      RawClient.Response head = client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
      RawClient.Response next = client.send(GET).read();

      assertEquals(200, head.status());
      assertEquals("13", head.header("content-length"));
      assertEquals("body of a GET", next.bodyText());
    }
  }

  @Test
  void flushPutsTheFirstChunkOnTheWireBeforeTheApplicationFinishes() throws Exception {
    CompletableFuture<Void> mayFinish = new CompletableFuture<>();
    AppFunc app =
        env -> {
          OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
          body.write("first".getBytes(StandardCharsets.UTF_8));
          body.flush();
          return mayFinish.thenRun(() -> write(env, "second"));
        };
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      RawClient.Response head = client.send(GET).readHeadOnly();
      byte[] first = client.readChunk();
      mayFinish.complete(null);

      assertEquals("chunked", head.header("transfer-encoding"));
      assertEquals("first", new String(first, StandardCharsets.UTF_8));
      assertEquals("second", new String(client.readChunk(), StandardCharsets.UTF_8));
      assertEquals(0, client.readChunk().length);
    }
  }

  @Test
  void onSendingHeadersCallbacksRunOnceLastRegisteredFirst() throws Exception {
    AppFunc app =
        env -> {
          OnSendingHeaders onSending = (OnSendingHeaders) env.get(ServerKeys.ON_SENDING_HEADERS);
          Map<String, String[]> headers = responseHeaders(env);
          headers.put("X-Order", new String[0]);
          for (String name : List.of("first", "second", "third")) {
            onSending.register(
                state -> {
                  String[] before = headers.getOrDefault("X-Order", new String[0]);
                  String[] after = java.util.Arrays.copyOf(before, before.length + 1);
                  after[before.length] = (String) state;
                  headers.put("X-Order", after);
                },
                name);
          }
          write(env, "a");
          ((OutputStream) env.get(OwinKeys.RESPONSE_BODY)).flush();
          write(env, "b");
          return done();
        };

    RawClient.Response response = exchange(app, GET);

    assertEquals(List.of("third", "second", "first"), response.headers().get("x-order"));
    assertEquals("ab", response.bodyText());
  }

  @Test
  void onSendingHeadersRunsAtCompletionWhenNothingWasWritten() throws Exception {
    AppFunc app =
        env -> {
          Map<String, String[]> headers = responseHeaders(env);
          ((OnSendingHeaders) env.get(ServerKeys.ON_SENDING_HEADERS))
              .register(state -> headers.put("X-Late", new String[] {"yes"}), "unused");
          return done();
        };

    assertEquals("yes", exchange(app, GET).header("x-late"));
  }

  @Test
  void changesAfterTheFirstWriteFailLoudly() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    AppFunc app =
        env -> {
          write(env, "started");
          Runnable[] changes = {
            () -> env.put(OwinKeys.RESPONSE_STATUS_CODE, 500),
            () -> env.put(OwinKeys.RESPONSE_REASON_PHRASE, "Nope"),
            () -> responseHeaders(env).put("X-Late", new String[] {"1"}),
            () -> responseHeaders(env).remove("Content-Type"),
            () ->
                ((OnSendingHeaders) env.get(ServerKeys.ON_SENDING_HEADERS))
                    .register(state -> {}, "late"),
          };
          for (Runnable change : changes) {
            try {
              change.run();
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
          return done();
        };

    RawClient.Response response = exchange(app, GET);

    assertEquals(5, failures.size(), failures::toString);
    failures.forEach(f -> assertInstanceOf(IllegalStateException.class, f));
    assertEquals(200, response.status());
    assertNull(response.header("x-late"));
  }

  @Test
  void headerValueWithCrLfFailsNamingTheHeaderAndIsNeverSent() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AppFunc app =
        env -> {
          try {
            responseHeaders(env).put("X-Split", new String[] {"a\r\nSet-Cookie: stolen=1"});
          } catch (IllegalArgumentException e) {
            failure.set(e);
          }
          return done();
        };

    RawClient.Response response = exchange(app, GET);

    assertInstanceOf(IllegalArgumentException.class, failure.get());
    assertTrue(failure.get().getMessage().contains("X-Split"), failure.get().getMessage());
    assertFalse(response.headers().containsKey("set-cookie"));
    assertFalse(response.headers().containsKey("x-split"));
  }

  @Test
  void reasonPhraseWithLineFeedIsRejected() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AppFunc app =
        env -> {
          try {
            env.put(OwinKeys.RESPONSE_REASON_PHRASE, "OK\nX-Injected: 1");
          } catch (IllegalArgumentException e) {
            failure.set(e);
          }
          return done();
        };

    RawClient.Response response = exchange(app, GET);

    assertInstanceOf(IllegalArgumentException.class, failure.get());
    assertEquals("HTTP/1.1 200 OK", response.statusLine());
  }

  @Test
  void writeAfterTheStageCompletedFails() throws Exception {
    AtomicReference<OutputStream> body = new AtomicReference<>();
    AppFunc app =
        env -> {
          body.set((OutputStream) env.get(OwinKeys.RESPONSE_BODY));
          write(env, "done");
          return done();
        };

    RawClient.Response response = exchange(app, GET);

    assertEquals("done", response.bodyText());
    IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> body.get().write(1));
    assertTrue(e.getMessage().contains("completed") || e.getMessage().contains("ended"), e.getMessage());
  }

  @Test
  void responseHeaderMapReplacedByMiddlewareIsSent() throws Exception {
    AppFunc app =
        env -> {
          Map<String, String[]> replacement = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          replacement.put("X-Replaced", new String[] {"yes"});
          env.put(OwinKeys.RESPONSE_HEADERS, replacement);
          write(env, "x");
          return done();
        };

    RawClient.Response response = exchange(app, GET);

    assertEquals("yes", response.header("x-replaced"));
    assertEquals("x", response.bodyText());
  }

  @Test
  void requestHeadersCanBeChangedByMiddleware() throws Exception {
    AtomicReference<String[]> seen = new AtomicReference<>();
    AppFunc app =
        env -> {
          Servers.requestHeaders(env).put("X-Added", new String[] {"1"});
          seen.set(Servers.requestHeaders(env).get("x-added"));
          return done();
        };

    exchange(app, GET);

    assertArrayEquals(new String[] {"1"}, seen.get());
  }
}
