package io.owin4j.testkit;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A response as the client received it: status and headers at once, the body as it streams in.
 *
 * <p>The body can be taken once, either whole ({@link #bodyAsBytes()}, {@link #bodyAsText()}, which
 * may be called again and answer the same) or as a stream ({@link #bodyStream()}). Reading the
 * whole body waits until the application finished it. When the application failed after the
 * response started and the server propagates exceptions, the read throws the application's
 * exception.
 *
 * <p>Close a response whose body you do not read to the end: closing it early cancels the request
 * (the application's {@code owin.CallCancelled} fires), so the application does not stay blocked
 * writing a body nobody reads.
 *
 * <h2>Threading</h2>
 *
 * The accessors of the head are thread-safe; the body is for one reader.
 */
public interface TestResponse extends AutoCloseable {
  /** The status code, such as 200. */
  int status();

  /**
   * The reason phrase, such as {@code OK}, or null when the client cannot see it: the JDK {@code
   * HttpClient} of {@link HostMode#UNDERTOW} does not report it.
   */
  @Nullable String reason();

  /** The protocol of the response, such as {@code HTTP/1.1}. */
  String protocol();

  /** The headers: names compare ignoring case, values in the order received; unmodifiable. */
  Map<String, List<String>> headers();

  /** The first value of header {@code name} (compared ignoring case), or null when absent. */
  @Nullable String header(String name);

  /**
   * Reads the whole body.
   *
   * @throws IllegalStateException if the body was taken as a stream
   * @throws java.io.UncheckedIOException if reading failed, such as when the connection was aborted
   *     or a read timed out
   */
  byte[] bodyAsBytes();

  /**
   * Reads the whole body as text in the charset the {@code Content-Type} names, or UTF-8.
   *
   * @throws IllegalStateException as {@link #bodyAsBytes()}
   * @throws java.io.UncheckedIOException as {@link #bodyAsBytes()}
   */
  String bodyAsText();

  /**
   * The body as a stream, to read it as it arrives: a test can read the first chunk before the
   * application wrote the rest. Each read waits at most the request's timeout, then fails with
   * {@link java.net.SocketTimeoutException}. Closing the stream early cancels the request.
   *
   * @throws IllegalStateException if the body was already taken
   */
  InputStream bodyStream();

  /** Closes the body; if it was not read to the end, cancels the request. Idempotent. */
  @Override
  void close();
}
