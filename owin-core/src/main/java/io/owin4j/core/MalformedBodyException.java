package io.owin4j.core;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * The request body is not valid text in the charset it was read with: the client sent bad bytes.
 *
 * <p>Thrown by {@link OwinContext#readBodyAsText()}. It is a {@link CharacterCodingException}, so
 * code that caught that keeps working, and a type of its own, so error-handling middleware can tell
 * the client's fault (400) from the server's (500) without guessing from a message.
 */
public final class MalformedBodyException extends CharacterCodingException {
  private static final long serialVersionUID = 1L;

  private final String message;

  /**
   * Creates the exception.
   *
   * @param charset the charset the body was decoded with
   * @param cause the decoder's failure
   */
  public MalformedBodyException(Charset charset, CharacterCodingException cause) {
    Objects.requireNonNull(charset, "charset");
    this.message = "the request body is not valid " + charset.name() + " text";
    initCause(Objects.requireNonNull(cause, "cause"));
  }

  @Override
  public String getMessage() {
    return message;
  }
}
