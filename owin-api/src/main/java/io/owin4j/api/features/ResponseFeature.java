package io.owin4j.api.features;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The response status, headers and lifecycle callbacks.
 *
 * <p>Status, reason, protocol and headers may change until the response starts (the first body
 * write, flush, sendfile, or the end of the request); afterwards changes fail with {@link
 * IllegalStateException}.
 */
public interface ResponseFeature {
  /** The status code; 200 unless set. */
  int statusCode();

  /**
   * Sets the status code.
   *
   * @throws IllegalArgumentException if not in [100, 999]
   * @throws IllegalStateException if the response has started
   */
  void setStatusCode(int statusCode);

  /** The reason phrase, or null for the host's default. */
  @Nullable String reasonPhrase();

  /** Sets the reason phrase; null restores the host's default. */
  void setReasonPhrase(@Nullable String reasonPhrase);

  /** The response protocol, or null for the request's. */
  @Nullable String protocol();

  /** Sets the response protocol; null restores the default. */
  void setProtocol(@Nullable String protocol);

  /** The response headers: names case-insensitive, live and mutable until the response starts. */
  Map<String, String[]> headers();

  /** Replaces the header map. */
  void setHeaders(Map<String, String[]> headers);

  /** True once the status and headers were sent (or fixed for sending). */
  boolean hasStarted();

  /**
   * Registers {@code callback} to run just before the headers are sent; callbacks run last
   * registered first, exactly once.
   *
   * @throws IllegalStateException if the response has started
   */
  void onStarting(Runnable callback);

  /**
   * Registers {@code callback} to run once the response has been completely sent or aborted.
   *
   * @throws UnsupportedOperationException if the host offers no completion hook
   */
  void onCompleted(Runnable callback);
}
