package io.owin4j.testkit;

import java.net.URI;
import java.net.http.HttpClient;

/**
 * Sends requests to the application of a {@link TestServer}, the same way in every {@link
 * HostMode}.
 *
 * <pre>{@code
 * TestResponse response = client.get("/greet").query("name", "Ada").header("Accept", "text/plain").send();
 * assertEquals(200, response.status());
 * assertEquals("Hello, Ada", response.bodyAsText());
 * }</pre>
 *
 * <p>Paths are request targets as they go on the wire: they start with {@code /}, are
 * percent-encoded, and may carry a query string.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: requests may be sent from several threads at once. Each request builder is for one
 * thread.
 */
public interface TestClient {
  /**
   * Starts a {@code GET} request.
   *
   * @throws IllegalArgumentException if {@code path} does not start with {@code /} or is not a
   *     valid request target
   */
  TestRequest get(String path);

  /** Starts a {@code POST} request; see {@link #get} for the path. */
  TestRequest post(String path);

  /** Starts a {@code PUT} request; see {@link #get} for the path. */
  TestRequest put(String path);

  /** Starts a {@code DELETE} request; see {@link #get} for the path. */
  TestRequest delete(String path);

  /**
   * Starts a request with any method.
   *
   * @throws IllegalArgumentException if {@code method} is not an HTTP token, or as {@link #get}
   */
  TestRequest method(String method, String path);

  /**
   * Starts a WebSocket handshake to {@code path}; see {@link #get} for the path.
   *
   * <pre>{@code
   * try (TestWebSocket socket = client.webSocket("/echo").subprotocols("echo.v1").connect()) {
   *   socket.sendText("hi");
   *   assertEquals(WebSocketMessage.text("hi"), socket.receive());
   * }
   * }</pre>
   */
  WebSocketRequest webSocket(String path);

  /**
   * Asks for an opaque upgrade of the connection to {@code protocol} (sent as the {@code Upgrade}
   * header with {@code Connection: Upgrade}) and returns the raw duplex streams once the server
   * answered 101.
   *
   * @param protocol the protocol name, such as {@code echo}; must not be {@code websocket}
   * @throws UpgradeDeniedException carrying the response when the server answered anything else
   * @throws TestTimeoutException if no response arrived within the default timeout
   * @throws java.io.UncheckedIOException if the connection failed
   * @throws IllegalArgumentException if {@code protocol} is blank or {@code websocket}
   */
  OpaqueConnection upgrade(String path, String protocol);

  /**
   * Returns a client for the same server with its own cookie jar: it stores the cookies that
   * responses set and sends them back on later requests whose path they match. This client stays
   * without cookies.
   */
  TestClient withCookies();

  /**
   * The root URI of the server, such as {@code http://127.0.0.1:41234/}; in memory {@code
   * http://localhost/}.
   */
  URI baseUri();

  /**
   * A JDK {@code HttpClient} for requests to {@link #baseUri()} that this client's builders do not
   * cover. It speaks HTTP/1.1 and keeps no cookies.
   *
   * @throws UnsupportedOperationException in {@link HostMode#IN_MEMORY}, which has no socket to
   *     connect to; mark the test {@code @OnlyOn(value = HostMode.UNDERTOW, reason = ...)}
   */
  HttpClient httpClient();

  /** Where the server runs the application. */
  HostMode mode();
}
