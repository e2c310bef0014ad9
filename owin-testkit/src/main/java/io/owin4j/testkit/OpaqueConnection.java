package io.owin4j.testkit;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The client end of a connection upgraded to an opaque protocol: raw bytes both ways.
 *
 * <p>{@link #input()} gives what the application writes, -1 once it finished; closing {@link
 * #output()} shuts down the sending side only, so the application reads -1. Reads wait at most the
 * default timeout, then fail with {@link java.net.SocketTimeoutException}. When the application
 * fails after upgrading and the server propagates exceptions, reading {@link #input()} throws its
 * exception.
 *
 * <h2>Threading</h2>
 *
 * One thread may read while another writes.
 */
public interface OpaqueConnection extends AutoCloseable {
  /** The upgrade response (status 101 and its headers). */
  TestResponse handshakeResponse();

  /** The bytes from the application. */
  InputStream input();

  /** The bytes to the application; flush to send them. */
  OutputStream output();

  /** Closes the connection both ways. Idempotent. */
  @Override
  void close();
}
