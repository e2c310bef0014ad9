package io.owin4j.testkit;

import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One request being built; {@link #send()} sends it.
 *
 * <p>Every method but the send methods returns this builder. A builder sends once; a second send
 * fails with {@link IllegalStateException}.
 *
 * <h2>Threading</h2>
 *
 * For one thread.
 */
public interface TestRequest {
  /**
   * Adds a request header; adding a name again adds another value.
   *
   * @throws IllegalArgumentException if {@code name} is not an HTTP token or {@code value} holds a
   *     line break
   */
  TestRequest header(String name, String value);

  /**
   * Appends the query parameter {@code name=value} to the path, both encoded as form data (UTF-8).
   */
  TestRequest query(String name, String value);

  /**
   * Sets the body to {@code text} in UTF-8, with {@code Content-Type} {@code contentType} and a
   * {@code Content-Length}.
   *
   * @throws IllegalStateException if a body was already set
   */
  TestRequest body(String text, String contentType);

  /**
   * Sets the body to a copy of {@code bytes}, with {@code Content-Type} {@code contentType} and a
   * {@code Content-Length}.
   *
   * @throws IllegalStateException if a body was already set
   */
  TestRequest body(byte[] bytes, String contentType);

  /**
   * Sets the body to what {@code stream} gives until its end, sent chunked, with {@code
   * Content-Type} {@code contentType}. The application reads it as it arrives. The request owns the
   * stream from now on; do not read it elsewhere.
   *
   * @throws IllegalStateException if a body was already set
   */
  TestRequest body(InputStream stream, String contentType);

  /**
   * How long {@link #send()} waits for the response to start, and how long one read of its body
   * waits for bytes; 10 seconds unless set.
   *
   * @throws IllegalArgumentException if not positive
   */
  TestRequest timeout(Duration timeout);

  /**
   * Sends the request and waits until the response started: the status and headers are there, the
   * body may still be coming.
   *
   * <p>When the application fails before its response started, and the server propagates exceptions
   * (the default), this throws the application's exception itself: a runtime exception or error as
   * it is, a checked one inside a {@link java.util.concurrent.CompletionException}. When it fails
   * later, reading the body throws it.
   *
   * @throws TestTimeoutException if the response did not start within the timeout; the request is
   *     then cancelled
   * @throws java.io.UncheckedIOException if the connection failed
   * @throws IllegalStateException if this request was already sent
   */
  TestResponse send();

  /**
   * Sends the request without waiting. The future completes as {@link #send()} returns or throws
   * (without its timeout); cancelling it cancels the request, which fires the application's {@code
   * owin.CallCancelled}.
   *
   * @throws IllegalStateException if this request was already sent
   */
  CompletableFuture<TestResponse> sendAsync();
}
