package io.owin4j.api;

/**
 * The {@code owin.*} environment keys of OWIN 1.0 (with the 1.1 draft's {@code owin.RequestId}).
 *
 * <p>Each constant's Javadoc names the value type the key carries. Keys compare ordinally.
 */
public final class OwinKeys {
  private OwinKeys() {}

  /** {@code java.io.InputStream}: the request body; never null, empty when there is no body. */
  public static final String REQUEST_BODY = "owin.RequestBody";

  /**
   * {@code Map<String, String[]>}: request headers, names case-insensitive; a value array is a copy,
   * write back with put or remove.
   *
   * <p>Porting from .NET: hosts there hand out the stored array, so code such as {@code
   * headers.get("X")[0] = "2"} changes the header. On every Owin4J host it changes a copy and
   * nothing else (the hosts check each value they are given and must not see one change after the
   * headers were sent); put the changed array back. {@code OwinLint} reports a copy changed in
   * place and never put back.
   */
  public static final String REQUEST_HEADERS = "owin.RequestHeaders";

  /** {@code String}: the request method, such as {@code GET}. */
  public static final String REQUEST_METHOD = "owin.RequestMethod";

  /** {@code String}: the percent-decoded path below the path base; starts with {@code /}. */
  public static final String REQUEST_PATH = "owin.RequestPath";

  /**
   * {@code String}: the percent-decoded part of the path that identifies the application root; empty
   * or starting with {@code /}, never ending with {@code /}.
   */
  public static final String REQUEST_PATH_BASE = "owin.RequestPathBase";

  /** {@code String}: {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}. */
  public static final String REQUEST_PROTOCOL = "owin.RequestProtocol";

  /** {@code String}: the query string without its leading {@code ?}, still encoded; may be empty. */
  public static final String REQUEST_QUERY_STRING = "owin.RequestQueryString";

  /** {@code String}: {@code http} or {@code https}. */
  public static final String REQUEST_SCHEME = "owin.RequestScheme";

  /** {@code String}, optional: unique per request; not changed once set. */
  public static final String REQUEST_ID = "owin.RequestId";

  /** {@code java.security.Principal}, optional: the authenticated user. */
  public static final String REQUEST_USER = "owin.RequestUser";

  /** {@code java.io.OutputStream}: the response body; the first write sends the headers. */
  public static final String RESPONSE_BODY = "owin.ResponseBody";

  /** {@code Map<String, String[]>}: response headers, as {@link #REQUEST_HEADERS}. */
  public static final String RESPONSE_HEADERS = "owin.ResponseHeaders";

  /** {@code Integer}, optional, default 200: the response status in [100, 999]. */
  public static final String RESPONSE_STATUS_CODE = "owin.ResponseStatusCode";

  /** {@code String}, optional: the reason phrase; the host supplies a default. */
  public static final String RESPONSE_REASON_PHRASE = "owin.ResponseReasonPhrase";

  /** {@code String}, optional: the response protocol; defaults to the request protocol. */
  public static final String RESPONSE_PROTOCOL = "owin.ResponseProtocol";

  /** {@link CancellationToken}: fires when the client goes away or the request faults. */
  public static final String CALL_CANCELLED = "owin.CallCancelled";

  /** {@code String}: the OWIN version, {@value #VERSION_VALUE}. */
  public static final String VERSION = "owin.Version";

  /** The value of {@link #VERSION}. */
  public static final String VERSION_VALUE = "1.0";
}
