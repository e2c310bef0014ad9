package io.owin4j.api.features;

import io.owin4j.api.CancellationToken;

/** The lifetime of the request: its cancellation token ({@code owin.CallCancelled}) and abort. */
public interface RequestLifetimeFeature {
  /** Fires when the client goes away or the request faults. */
  CancellationToken requestAborted();

  /** Replaces the token, for middleware that links its own; chain to the original. */
  void setRequestAborted(CancellationToken token);

  /**
   * Aborts the request: the connection (HTTP/1.1) or stream (HTTP/2) is closed without a complete
   * response. Calling it again does nothing.
   *
   * @throws UnsupportedOperationException if the host cannot abort
   */
  void abort();
}
