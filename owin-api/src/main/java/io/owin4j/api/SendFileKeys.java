package io.owin4j.api;

/** The keys of the SendFile extension v0.3.0. */
public final class SendFileKeys {
  private SendFileKeys() {}

  /** {@code io.owin4j.api.ext.SendFileAsync}: sends a file, or part of one, as the response body. */
  public static final String SEND_ASYNC = "sendfile.SendAsync";

  /** {@code String}: the capability entry, {@value #VERSION_VALUE}. */
  public static final String VERSION = "sendfile.Version";

  /** The value of {@link #VERSION}. */
  public static final String VERSION_VALUE = "1.0";
}
