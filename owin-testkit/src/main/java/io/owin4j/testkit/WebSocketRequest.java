package io.owin4j.testkit;

import java.time.Duration;

/**
 * A WebSocket handshake being built; {@link #connect()} performs it.
 *
 * <p>A builder connects once; a second connect fails with {@link IllegalStateException}. For one
 * thread.
 */
public interface WebSocketRequest {
  /**
   * Offers {@code subprotocols}, most preferred first, in {@code Sec-WebSocket-Protocol}; replaces
   * any offered before.
   *
   * @throws IllegalArgumentException if one is not an HTTP token
   */
  WebSocketRequest subprotocols(String... subprotocols);

  /**
   * Adds a handshake request header.
   *
   * @throws IllegalArgumentException as {@link TestRequest#header}, or if {@code name} is one the
   *     handshake sets itself ({@code Connection}, {@code Upgrade}, {@code Sec-WebSocket-*})
   */
  WebSocketRequest header(String name, String value);

  /**
   * How long {@link #connect()} waits for the handshake, and the default wait of {@link
   * TestWebSocket#receive()}; 10 seconds unless set.
   *
   * @throws IllegalArgumentException if not positive
   */
  WebSocketRequest timeout(Duration timeout);

  /**
   * Performs the handshake.
   *
   * <p>An application that fails before accepting, while the server propagates exceptions, makes
   * this throw its exception, as {@link TestRequest#send()} does.
   *
   * @return the open WebSocket
   * @throws UpgradeDeniedException carrying the response when the application did not accept (that
   *     is the denial: an ordinary HTTP response)
   * @throws TestTimeoutException if the handshake did not complete within the timeout
   * @throws java.io.UncheckedIOException if the connection failed
   * @throws IllegalStateException if this request already connected
   */
  TestWebSocket connect();
}
