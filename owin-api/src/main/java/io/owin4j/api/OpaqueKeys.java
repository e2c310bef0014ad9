package io.owin4j.api;

/** The keys of the opaque stream extension v0.3.0. */
public final class OpaqueKeys {
  private OpaqueKeys() {}

  /**
   * {@code io.owin4j.api.ext.OpaqueUpgrade}: present on HTTP/1.1 requests asking for an {@code
   * Upgrade} other than websocket.
   */
  public static final String UPGRADE = "opaque.Upgrade";

  /** {@code io.owin4j.api.ext.OpaqueStream}: the raw duplex stream, in the opaque environment. */
  public static final String STREAM = "opaque.Stream";

  /** {@code String}: the extension version, {@value #VERSION_VALUE}; also a capability. */
  public static final String VERSION = "opaque.Version";

  /** The value of {@link #VERSION}. */
  public static final String VERSION_VALUE = "1.0";

  /** {@link CancellationToken}: fires when the opaque connection goes away. */
  public static final String CALL_CANCELLED = "opaque.CallCancelled";
}
