package io.owin4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.AppFunc;
import io.owin4j.core.OwinContext;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The request builders and the cookie jar, on the in-memory host. */
@Timeout(20)
class TestClientTest {
  /** Sets a cookie on /login, forgets it on /logout, and shows the Cookie header elsewhere. */
  private static final AppFunc COOKIES =
      env -> {
        OwinContext context = OwinContext.of(env);
        switch (context.path()) {
          case "/login" -> context.setResponseHeader("Set-Cookie", "session=abc; Path=/");
          case "/logout" -> context.setResponseHeader("Set-Cookie", "session=; Max-Age=0; Path=/");
          default -> {}
        }
        String cookie = context.requestHeader("Cookie");
        return context.writeTextAsync(cookie == null ? "none" : cookie);
      };

  @Test
  void clientWithCookiesSendsBackWhatAResponseSet() {
    try (TestServer server = TestServer.create(COOKIES)) {
      TestClient client = server.withCookies();
      client.get("/login").send().close();
      assertEquals("session=abc", client.get("/me").send().bodyAsText());
    }
  }

  @Test
  void cookieRemovedByTheServerIsNoLongerSent() {
    try (TestServer server = TestServer.create(COOKIES)) {
      TestClient client = server.withCookies();
      client.get("/login").send().close();
      client.get("/logout").send().close();
      assertEquals("none", client.get("/me").send().bodyAsText());
    }
  }

  @Test
  void plainClientKeepsNoCookies() {
    try (TestServer server = TestServer.create(COOKIES)) {
      server.get("/login").send().close();
      assertEquals("none", server.get("/me").send().bodyAsText());
    }
  }

  @Test
  void eachCookieJarIsItsOwn() {
    try (TestServer server = TestServer.create(COOKIES)) {
      server.withCookies().get("/login").send().close();
      assertEquals("none", server.withCookies().get("/me").send().bodyAsText());
    }
  }

  @Test
  void repeatedHeaderNamesAddValues() {
    AppFunc app =
        env ->
            OwinContext.of(env)
                .writeTextAsync(String.join(",", OwinContext.of(env).requestHeaders().get("X-A")));
    try (TestServer server = TestServer.create(app)) {
      assertEquals(
          "1,2", server.get("/").header("X-A", "1").header("X-A", "2").send().bodyAsText());
    }
  }

  @Test
  void methodIsSentAsGiven() {
    try (TestServer server =
        TestServer.create(
            env -> OwinContext.of(env).writeTextAsync(OwinContext.of(env).method()))) {
      assertEquals("PROPFIND", server.method("PROPFIND", "/").send().bodyAsText());
      assertEquals("DELETE", server.delete("/").send().bodyAsText());
      assertEquals("PUT", server.put("/").send().bodyAsText());
    }
  }

  @Test
  void pathWithoutLeadingSlashIsRejected() {
    try (TestServer server = TestServer.create(COOKIES)) {
      IllegalArgumentException thrown =
          assertThrows(IllegalArgumentException.class, () -> server.get("items"));
      assertEquals(
          "path must start with a single \"/\" and hold no fragment, got \"items\"",
          thrown.getMessage());
    }
  }

  @Test
  void pathThatIsNotEncodedIsRejected() {
    try (TestServer server = TestServer.create(COOKIES)) {
      assertThrows(IllegalArgumentException.class, () -> server.get("/a b"));
    }
  }

  @Test
  void methodThatIsNotATokenIsRejected() {
    try (TestServer server = TestServer.create(COOKIES)) {
      assertThrows(IllegalArgumentException.class, () -> server.method("GE T", "/"));
    }
  }

  @Test
  void headerValueWithALineBreakIsRejected() {
    try (TestServer server = TestServer.create(COOKIES)) {
      assertThrows(
          IllegalArgumentException.class, () -> server.get("/").header("X-A", "a\r\nX-B: b"));
    }
  }

  @Test
  void bodyIsSetOnce() {
    try (TestServer server = TestServer.create(COOKIES)) {
      TestRequest request = server.post("/").body("a", "text/plain");
      assertThrows(IllegalStateException.class, () -> request.body("b", "text/plain"));
    }
  }

  @Test
  void timeoutMustBePositive() {
    try (TestServer server = TestServer.create(COOKIES)) {
      assertThrows(IllegalArgumentException.class, () -> server.get("/").timeout(Duration.ZERO));
    }
  }

  @Test
  void handshakeHeadersCannotBeSetByHand() {
    try (TestServer server = TestServer.create(COOKIES)) {
      assertThrows(
          IllegalArgumentException.class,
          () -> server.webSocket("/ws").header("Sec-WebSocket-Protocol", "x"));
    }
  }

  @Test
  void inMemoryBaseUriIsLocalhost() {
    try (TestServer server = TestServer.create(COOKIES)) {
      assertEquals(URI.create("http://localhost/"), server.baseUri());
    }
  }
}
