package io.owin4j.undertow;

import java.time.Duration;
import java.util.Objects;

/**
 * One finished HTTP exchange, as a {@link ServerListener} sees it.
 *
 * @param method the request method, such as {@code GET}
 * @param path the request path as received, without the query
 * @param status the response status; 101 for an upgrade
 * @param bytesSent the response body bytes written to the network (headers not included)
 * @param duration from the request's arrival to the end of the exchange
 * @param outcome how it ended
 */
public record ExchangeSummary(
    String method, String path, int status, long bytesSent, Duration duration, Outcome outcome) {

  /** How an exchange ended. */
  public enum Outcome {
    /** The response was sent in full. */
    COMPLETED,
    /** The application failed; a 500 was sent, or the connection was cut if the response had started. */
    FAILED,
    /** The client went away before the response was sent in full; counted, never logged. */
    CLIENT_DISCONNECTED
  }

  /** Checks the components. */
  public ExchangeSummary {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(outcome, "outcome");
  }
}
