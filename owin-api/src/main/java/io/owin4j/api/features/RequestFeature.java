package io.owin4j.api.features;

import java.io.InputStream;
import java.util.Map;

/**
 * The request line, headers and body.
 *
 * <p>Maps to {@code owin.Request*}. The typed query string starts with {@code ?} when it is not
 * empty; the OWIN key holds it without. Path and path base are percent-decoded.
 */
public interface RequestFeature {
  /** The request method, such as {@code GET}. */
  String method();

  /** Sets the method. */
  void setMethod(String method);

  /** {@code http} or {@code https}. */
  String scheme();

  /** Sets the scheme. */
  void setScheme(String scheme);

  /** The decoded path base: empty, or starting with {@code /} and not ending with it. */
  String pathBase();

  /** Sets the path base. */
  void setPathBase(String pathBase);

  /** The decoded path below the path base: starts with {@code /}, or is empty. */
  String path();

  /** Sets the path. */
  void setPath(String path);

  /** The still-encoded query string with its leading {@code ?}, or empty. */
  String queryString();

  /** Sets the query string; a value without a leading {@code ?} gains one. */
  void setQueryString(String queryString);

  /** {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}. */
  String protocol();

  /** Sets the protocol. */
  void setProtocol(String protocol);

  /** The request headers: names case-insensitive, live and mutable. */
  Map<String, String[]> headers();

  /** Replaces the header map. */
  void setHeaders(Map<String, String[]> headers);

  /** The request body; never null, empty when there is none. */
  InputStream body();

  /** Replaces the body stream. */
  void setBody(InputStream body);
}
