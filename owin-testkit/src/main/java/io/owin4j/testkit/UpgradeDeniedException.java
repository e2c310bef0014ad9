package io.owin4j.testkit;

import java.util.Objects;

/**
 * The application answered a WebSocket handshake or an opaque upgrade request with an ordinary HTTP
 * response instead of accepting it: that response is the denial.
 */
public final class UpgradeDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient TestResponse response;

  /**
   * Creates the exception.
   *
   * @param what what was asked for, such as {@code "WebSocket handshake to /chat"}
   * @param response the response the application gave instead
   */
  public UpgradeDeniedException(String what, TestResponse response) {
    super(
        Objects.requireNonNull(what, "what")
            + " was denied: the application answered "
            + Objects.requireNonNull(response, "response").status()
            + " instead of 101");
    this.response = response;
  }

  /** The response the application gave instead of accepting; its body can be read. */
  public TestResponse response() {
    return response;
  }
}
