package io.owin4j.middleware.errors;

/**
 * A failure that names the HTTP status to answer with, and a message fit for the client.
 *
 * <p>Thrown (or failing a stage) below {@link ErrorHandling}, it becomes a response with that
 * status and the message as its text. Throw it for what the client got wrong ({@code 404}, {@code
 * 409}, {@code 422}); the message is shown to the client, so it must not hold secrets.
 */
public class HttpStatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates the exception.
   *
   * @param status the status to answer with, in [400, 599]
   * @param message what the client is told
   * @throws IllegalArgumentException if {@code status} is not in [400, 599]
   */
  public HttpStatusException(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException(
          "an error status must be in [400, 599], got " + status);
    }
    this.status = status;
  }

  /** The status to answer with. */
  public int status() {
    return status;
  }
}
