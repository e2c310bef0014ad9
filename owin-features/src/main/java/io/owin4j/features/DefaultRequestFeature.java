package io.owin4j.features;

import io.owin4j.api.features.RequestFeature;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link RequestFeature} held in fields, for hosts to fill from their native request.
 *
 * <p>Until set: method {@code GET}, scheme {@code http}, empty path base, path {@code /}, empty
 * query string, protocol {@code HTTP/1.1}, an empty {@link HeaderDictionary} and an empty body.
 * Setters reject null; the path base must be empty or start with {@code /} and not end with it; the
 * path must be empty or start with {@code /}; a query string without its leading {@code ?} gains
 * one. Not thread-safe.
 */
public final class DefaultRequestFeature implements RequestFeature {
  private String method = "GET";
  private String scheme = "http";
  private String pathBase = "";
  private String path = "/";
  private String queryString = "";
  private String protocol = "HTTP/1.1";
  private Map<String, String[]> headers = new HeaderDictionary();
  private InputStream body = InputStream.nullInputStream();

  /** Creates a request with the defaults above. */
  public DefaultRequestFeature() {}

  @Override
  public String method() {
    return method;
  }

  @Override
  public void setMethod(String method) {
    this.method = Objects.requireNonNull(method, "method");
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public void setScheme(String scheme) {
    this.scheme = Objects.requireNonNull(scheme, "scheme");
  }

  @Override
  public String pathBase() {
    return pathBase;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException unless empty, or starting with {@code /} and not ending with it
   */
  @Override
  public void setPathBase(String pathBase) {
    Objects.requireNonNull(pathBase, "pathBase");
    if (!pathBase.isEmpty() && (!pathBase.startsWith("/") || pathBase.endsWith("/"))) {
      throw new IllegalArgumentException(
          "path base must be empty or start with '/' and not end with '/', got \""
              + pathBase
              + "\"");
    }
    this.pathBase = pathBase;
  }

  @Override
  public String path() {
    return path;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException unless empty or starting with {@code /}
   */
  @Override
  public void setPath(String path) {
    Objects.requireNonNull(path, "path");
    if (!path.isEmpty() && !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "path must be empty or start with '/', got \"" + path + "\"");
    }
    this.path = path;
  }

  @Override
  public String queryString() {
    return queryString;
  }

  @Override
  public void setQueryString(String queryString) {
    Objects.requireNonNull(queryString, "queryString");
    this.queryString =
        queryString.isEmpty() || queryString.startsWith("?") ? queryString : "?" + queryString;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public void setProtocol(String protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  @Override
  public Map<String, String[]> headers() {
    return headers;
  }

  @Override
  public void setHeaders(Map<String, String[]> headers) {
    this.headers = Objects.requireNonNull(headers, "headers");
  }

  @Override
  public InputStream body() {
    return body;
  }

  @Override
  public void setBody(InputStream body) {
    this.body = Objects.requireNonNull(body, "body");
  }

  @Override
  public String toString() {
    return "DefaultRequestFeature{" + method + " " + scheme + "://" + pathBase + path
        + queryString + " " + protocol + "}";
  }
}
