package io.owin4j.undertow.internal;

import io.owin4j.api.features.RequestFeature;
import io.undertow.server.HttpServerExchange;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The request line, headers and body of an {@link HttpServerExchange}.
 *
 * <p>Each value is read from the exchange when first asked for; a value set by middleware replaces
 * it for the rest of the request and is not written back to the exchange. The headers are a live
 * view over the exchange's header map. Not thread-safe, like every feature.
 */
final class ExchangeRequestFeature implements RequestFeature {
  private final HttpServerExchange exchange;
  private final ExchangeLifetimeFeature lifetime;
  private @Nullable RequestBody exchangeBody;
  private @Nullable String method;
  private @Nullable String scheme;
  private @Nullable String pathBase;
  private @Nullable String path;
  private @Nullable String queryString;
  private @Nullable String protocol;
  private @Nullable Map<String, String[]> headers;
  private @Nullable InputStream body;

  ExchangeRequestFeature(HttpServerExchange exchange, ExchangeLifetimeFeature lifetime) {
    this.exchange = exchange;
    this.lifetime = lifetime;
  }

  @Override
  public String method() {
    String m = method;
    return m != null ? m : (method = exchange.getRequestMethod().toString());
  }

  @Override
  public void setMethod(String method) {
    this.method = Objects.requireNonNull(method, "method");
  }

  @Override
  public String scheme() {
    String s = scheme;
    return s != null ? s : (scheme = exchange.getRequestScheme());
  }

  @Override
  public void setScheme(String scheme) {
    this.scheme = Objects.requireNonNull(scheme, "scheme");
  }

  @Override
  public String pathBase() {
    String p = pathBase;
    if (p == null) {
      // A prefix handler records what it matched; "/" matches everything and means the root.
      p = exchange.getResolvedPath();
      if (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      pathBase = p;
    }
    return p;
  }

  @Override
  public void setPathBase(String pathBase) {
    this.pathBase = Objects.requireNonNull(pathBase, "pathBase");
  }

  @Override
  public String path() {
    String p = path;
    if (p == null) {
      p = exchange.getRelativePath();
      if (p.isEmpty() && pathBase().isEmpty()) {
        p = "/";
      }
      path = p;
    }
    return p;
  }

  @Override
  public void setPath(String path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  @Override
  public String queryString() {
    String q = queryString;
    if (q == null) {
      String raw = exchange.getQueryString();
      q = raw.isEmpty() ? "" : "?" + raw;
      queryString = q;
    }
    return q;
  }

  @Override
  public void setQueryString(String queryString) {
    Objects.requireNonNull(queryString, "queryString");
    this.queryString =
        queryString.isEmpty() || queryString.startsWith("?") ? queryString : "?" + queryString;
  }

  @Override
  public String protocol() {
    String p = protocol;
    return p != null ? p : (protocol = exchange.getProtocol().toString());
  }

  @Override
  public void setProtocol(String protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  @Override
  public Map<String, String[]> headers() {
    Map<String, String[]> h = headers;
    return h != null ? h : (headers = HeaderMapView.ofRequest(exchange.getRequestHeaders()));
  }

  @Override
  public void setHeaders(Map<String, String[]> headers) {
    this.headers = Objects.requireNonNull(headers, "headers");
  }

  @Override
  public InputStream body() {
    InputStream b = body;
    if (b != null) {
      return b;
    }
    RequestBody own = exchangeBody;
    return own != null ? own : (exchangeBody = new RequestBody(exchange, lifetime));
  }

  @Override
  public void setBody(InputStream body) {
    this.body = Objects.requireNonNull(body, "body");
  }

  @Override
  public String toString() {
    return "ExchangeRequestFeature{" + method() + " " + pathBase() + path() + queryString() + "}";
  }
}
