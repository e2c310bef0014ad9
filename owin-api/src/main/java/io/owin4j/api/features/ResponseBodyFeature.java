package io.owin4j.api.features;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The response body.
 *
 * <p>The first write or flush starts the response: the on-starting callbacks run, then status and
 * headers are sent and frozen. A write after the request ended fails with {@link IOException}.
 */
public interface ResponseBodyFeature {
  /** The body stream ({@code owin.ResponseBody}). */
  OutputStream stream();

  /** Replaces the body stream, for middleware that transforms the body. */
  void setStream(OutputStream stream);

  /**
   * Starts the response without writing: runs the on-starting callbacks and sends the headers.
   * Does nothing if the response has started.
   */
  void start() throws IOException;
}
