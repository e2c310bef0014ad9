package io.owin4j.core.host;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A read of the request body failed because the body outgrew the host's limit; a host answers it
 * with 413 when the response has not started.
 */
public final class RequestBodyTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long limit;

  /**
   * Creates the failure.
   *
   * @param limit the largest body the host accepts, in bytes
   * @param cause what the host's own reader reported, or null
   */
  public RequestBodyTooLargeException(long limit, @Nullable Throwable cause) {
    super("the request body exceeds the limit of " + limit + " bytes", cause);
    this.limit = limit;
  }

  /** The largest body the host accepts, in bytes. */
  public long limit() {
    return limit;
  }
}
