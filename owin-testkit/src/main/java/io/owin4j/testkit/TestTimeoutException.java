package io.owin4j.testkit;

/**
 * Something a test waited for did not happen in time: a response did not start, a handshake did not
 * complete, a WebSocket message did not arrive.
 */
public final class TestTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} says what did not happen within how long. */
  public TestTimeoutException(String message) {
    super(message);
  }
}
