package io.owin4j.api.ext;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The duplex byte stream of an upgraded connection ({@code opaque.Stream}).
 *
 * <p>The input and output may be used from two threads at once (one reader, one writer). Reads
 * block until bytes arrive and give -1 when the peer shut its side down; writes are sent when
 * flushed. Hosts may make the streams also implement {@link io.owin4j.api.io.AsyncReadable} and
 * {@link io.owin4j.api.io.AsyncWritable}; find out with {@code instanceof}. The consumer closes
 * neither: the host closes the connection when the opaque callback's stage completes. Closing the
 * output shuts down the sending side only.
 */
public interface OpaqueStream {
  /** The bytes the peer sends, beginning with any it sent right after its upgrade request. */
  InputStream input();

  /** The bytes to the peer. */
  OutputStream output();
}
