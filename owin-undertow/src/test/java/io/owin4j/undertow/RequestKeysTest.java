package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.get;
import static io.owin4j.undertow.Servers.requestHeaders;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The request keys of the environment, as a real client's request produces them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestKeysTest {
  private final Map<String, Object> seen = new ConcurrentHashMap<>();

  /** An application that records what {@code read} takes from each request under its key. */
  private AppFunc recording(String key, Function<Map<String, Object>, Object> read) {
    return env -> {
      seen.put(key, read.apply(env));
      return done();
    };
  }

  private AppFunc recordingKeys(String... keys) {
    return env -> {
      for (String key : keys) {
        Object value = env.get(key);
        if (value != null) {
          seen.put(key, value);
        }
      }
      return done();
    };
  }

  @Test
  void pathIsDecodedAndQueryStringStaysEncoded() throws Exception {
    try (OwinServer server =
        Servers.start(
            recordingKeys(
                OwinKeys.REQUEST_PATH, OwinKeys.REQUEST_PATH_BASE, OwinKeys.REQUEST_QUERY_STRING))) {
      get(server, "/caf%C3%A9/a%20b?q=a%20b&x=%26");

      assertEquals("/caf\u00e9/a b", seen.get(OwinKeys.REQUEST_PATH));
      assertEquals("", seen.get(OwinKeys.REQUEST_PATH_BASE));
      assertEquals("q=a%20b&x=%26", seen.get(OwinKeys.REQUEST_QUERY_STRING));
    }
  }

  @Test
  void queryStringIsEmptyWithoutOne() throws Exception {
    try (OwinServer server = Servers.start(recordingKeys(OwinKeys.REQUEST_QUERY_STRING))) {
      get(server, "/");

      assertEquals("", seen.get(OwinKeys.REQUEST_QUERY_STRING));
    }
  }

  @Test
  void methodSchemeAndProtocolDescribeTheRequest() throws Exception {
    try (OwinServer server =
        Servers.start(
            recordingKeys(
                OwinKeys.REQUEST_METHOD, OwinKeys.REQUEST_SCHEME, OwinKeys.REQUEST_PROTOCOL))) {
      Servers.HTTP_1_1.send(
          HttpRequest.newBuilder(server.uri()).method("DELETE", HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.discarding());

      assertEquals("DELETE", seen.get(OwinKeys.REQUEST_METHOD));
      assertEquals("http", seen.get(OwinKeys.REQUEST_SCHEME));
      assertEquals("HTTP/1.1", seen.get(OwinKeys.REQUEST_PROTOCOL));
    }
  }

  @Test
  void http10RequestReportsItsProtocolAndGetsAHostHeader() throws Exception {
    try (OwinServer server =
            Servers.start(
                env -> {
                  seen.put(OwinKeys.REQUEST_PROTOCOL, env.get(OwinKeys.REQUEST_PROTOCOL));
                  seen.put("host", requestHeaders(env).get("Host"));
                  return done();
                });
        RawClient client = new RawClient(server.port())) {
      RawClient.Response response = client.send("GET / HTTP/1.0\r\n\r\n").read();

      assertEquals(200, response.status());
      assertEquals("HTTP/1.0", seen.get(OwinKeys.REQUEST_PROTOCOL));
      assertArrayEquals(new String[] {"127.0.0.1:" + server.port()}, (String[]) seen.get("host"));
    }
  }

  @Test
  void hostHeaderOfTheClientIsKept() throws Exception {
    try (OwinServer server =
        Servers.start(recording("host", env -> requestHeaders(env).get("host")))) {
      get(server, "/");

      assertArrayEquals(new String[] {"127.0.0.1:" + server.port()}, (String[]) seen.get("host"));
    }
  }

  @Test
  void requestHeadersAreCaseInsensitiveWithEveryValue() throws Exception {
    try (OwinServer server =
        Servers.start(recording("x", env -> requestHeaders(env).get("x-TWICE")))) {
      Servers.HTTP_1_1.send(
          HttpRequest.newBuilder(server.uri()).header("X-Twice", "a").header("X-Twice", "b")
              .build(),
          HttpResponse.BodyHandlers.discarding());

      assertArrayEquals(new String[] {"a", "b"}, (String[]) seen.get("x"));
    }
  }

  @Test
  void requestBodyIsReadable() throws Exception {
    try (OwinServer server =
        Servers.start(
            recording(
                "body",
                env -> {
                  try {
                    return new String(
                        ((InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes(),
                        StandardCharsets.UTF_8);
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }))) {
      Servers.HTTP_1_1.send(
          HttpRequest.newBuilder(server.uri())
              .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000)))
              .build(),
          HttpResponse.BodyHandlers.discarding());

      assertEquals("x".repeat(100_000), seen.get("body"));
    }
  }

  @Test
  void requestBodyIsEmptyWithoutOne() throws Exception {
    try (OwinServer server =
        Servers.start(
            recording(
                "read",
                env -> {
                  try {
                    return ((InputStream) env.get(OwinKeys.REQUEST_BODY)).read();
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }))) {
      get(server, "/");

      assertEquals(-1, seen.get("read"));
    }
  }

  @Test
  void serverKeysDescribeTheConnection() throws Exception {
    try (OwinServer server =
            Servers.start(
                recordingKeys(
                    ServerKeys.REMOTE_IP_ADDRESS,
                    ServerKeys.REMOTE_PORT,
                    ServerKeys.LOCAL_IP_ADDRESS,
                    ServerKeys.LOCAL_PORT,
                    ServerKeys.IS_LOCAL,
                    ServerKeys.CONNECTION_ID));
        RawClient client = new RawClient(server.port())) {
      client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();

      assertEquals("127.0.0.1", seen.get(ServerKeys.REMOTE_IP_ADDRESS));
      assertEquals(Integer.toString(client.localPort()), seen.get(ServerKeys.REMOTE_PORT));
      assertEquals("127.0.0.1", seen.get(ServerKeys.LOCAL_IP_ADDRESS));
      assertEquals(Integer.toString(server.port()), seen.get(ServerKeys.LOCAL_PORT));
      assertEquals(Boolean.TRUE, seen.get(ServerKeys.IS_LOCAL));
      assertNotNull(seen.get(ServerKeys.CONNECTION_ID));
    }
  }

  @Test
  void connectionIdIsSharedByRequestsOfOneConnectionOnly() throws Exception {
    List<Object> ids = new ArrayList<>();
    AppFunc app =
        env -> {
          synchronized (ids) {
            ids.add(env.get(ServerKeys.CONNECTION_ID));
          }
          return done();
        };
    try (OwinServer server = Servers.start(app);
        RawClient first = new RawClient(server.port());
        RawClient second = new RawClient(server.port())) {
      first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
      first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
      second.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();

      assertEquals(ids.get(0), ids.get(1));
      assertNotEquals(ids.get(0), ids.get(2));
    }
  }

  @Test
  void requestIdIsUniquePerRequest() throws Exception {
    List<Object> ids = new ArrayList<>();
    AppFunc app =
        env -> {
          synchronized (ids) {
            ids.add(env.get(OwinKeys.REQUEST_ID));
          }
          return done();
        };
    try (OwinServer server = Servers.start(app)) {
      for (int i = 0; i < 20; i++) {
        get(server, "/");
      }

      assertEquals(20, ids.stream().distinct().count());
      assertTrue(ids.stream().allMatch(id -> id instanceof String s && !s.isEmpty()), ids::toString);
    }
  }

  @Test
  void versionCancellationAndCapabilitiesArePresent() throws Exception {
    List<Object> capabilities = new ArrayList<>();
    AppFunc app =
        env -> {
          seen.put(OwinKeys.VERSION, env.get(OwinKeys.VERSION));
          seen.put(OwinKeys.CALL_CANCELLED, env.get(OwinKeys.CALL_CANCELLED));
          synchronized (capabilities) {
            capabilities.add(env.get(ServerKeys.CAPABILITIES));
          }
          return done();
        };
    try (OwinServer server = Servers.start(app)) {
      get(server, "/");
      get(server, "/");

      assertEquals("1.0", seen.get(OwinKeys.VERSION));
      assertTrue(
          seen.get(OwinKeys.CALL_CANCELLED) instanceof CancellationToken token
              && token.canBeCancelled()
              && !token.isCancellationRequested());
      assertNotNull(capabilities.get(0));
      assertSame(capabilities.get(0), capabilities.get(1));
    }
  }

  @Test
  void userIsAbsentForAnAnonymousRequest() throws Exception {
    try (OwinServer server =
        Servers.start(
            recording(
                "user",
                env ->
                    List.of(
                        env.containsKey(OwinKeys.REQUEST_USER),
                        env.containsKey(ServerKeys.USER))))) {
      get(server, "/");

      assertEquals(List.of(false, false), seen.get("user"));
    }
  }
}
