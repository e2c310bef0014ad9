package io.owin4j.api.features;

/** A unique identifier of the request ({@code owin.RequestId}). */
public interface RequestIdentifierFeature {
  /** The request's identifier. */
  String requestId();

  /**
   * Sets the identifier.
   *
   * @throws IllegalStateException if an identifier was already set: it never changes once set
   */
  void setRequestId(String requestId);
}
