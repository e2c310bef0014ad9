package io.owin4j.undertow.internal;

import io.owin4j.core.host.HttpSyntax;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.features.ResponseStarter;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The status, reason phrase and headers of an {@link HttpServerExchange}, frozen once the response
 * starts.
 *
 * <p>Status and reason phrase are written to the exchange at once; the headers are a live view over
 * its header map. Every change checks the response has not started (the {@link ResponseStarter}
 * decides), and every header name, header value and reason phrase is checked for what HTTP forbids.
 * Middleware that replaces the header map gets its map copied into the exchange when the response
 * starts. Not thread-safe, like every feature.
 */
final class ExchangeResponseFeature implements ResponseFeature, HeaderMapView.Guard {
  private final HttpServerExchange exchange;
  private final ResponseStarter starter;
  private final String requestProtocol;
  private @Nullable HeaderMapView exchangeHeaders;
  private @Nullable Map<String, String[]> replacedHeaders;
  private @Nullable String reasonPhrase;

  ExchangeResponseFeature(HttpServerExchange exchange, ResponseStarter starter) {
    this.exchange = exchange;
    this.starter = starter;
    this.requestProtocol = exchange.getProtocol().toString();
  }

  @Override
  public int statusCode() {
    return exchange.getStatusCode();
  }

  @Override
  public void setStatusCode(int statusCode) {
    if (statusCode < 100 || statusCode > 999) {
      throw new IllegalArgumentException(
          "owin.ResponseStatusCode must be in [100, 999], got " + statusCode);
    }
    checkNotStarted("owin.ResponseStatusCode");
    exchange.setStatusCode(statusCode);
  }

  @Override
  public @Nullable String reasonPhrase() {
    return reasonPhrase;
  }

  @Override
  public void setReasonPhrase(@Nullable String reasonPhrase) {
    if (reasonPhrase != null) {
      HttpSyntax.checkReasonPhrase(reasonPhrase);
    }
    checkNotStarted("owin.ResponseReasonPhrase");
    this.reasonPhrase = reasonPhrase;
    exchange.setReasonPhrase(reasonPhrase);
  }

  /** Always null: Undertow answers in the request's protocol. */
  @Override
  public @Nullable String protocol() {
    return null;
  }

  /**
   * Accepts null or the request's own protocol: Undertow cannot answer in another one.
   *
   * @throws IllegalArgumentException for any other protocol
   */
  @Override
  public void setProtocol(@Nullable String protocol) {
    if (protocol != null && !protocol.equals(requestProtocol)) {
      throw new IllegalArgumentException(
          "owin.ResponseProtocol must be the request protocol "
              + requestProtocol
              + " (or absent) on this host, got "
              + HttpSyntax.quote(protocol));
    }
    checkNotStarted("owin.ResponseProtocol");
  }

  @Override
  public Map<String, String[]> headers() {
    Map<String, String[]> replaced = replacedHeaders;
    return replaced != null ? replaced : exchangeHeaders();
  }

  private HeaderMapView exchangeHeaders() {
    HeaderMapView view = exchangeHeaders;
    if (view == null) {
      view =
          HeaderMapView.ofResponse(exchange.getResponseHeaders(), this);
      exchangeHeaders = view;
    }
    return view;
  }

  @Override
  public void setHeaders(Map<String, String[]> headers) {
    Objects.requireNonNull(headers, "headers");
    checkNotStarted("owin.ResponseHeaders");
    if (headers == exchangeHeaders) {
      replacedHeaders = null;
      return;
    }
    if (replacedHeaders == null) {
      starter.onStarted(this::copyReplacedHeaders);
    }
    replacedHeaders = headers;
  }

  /** Copies a replacement header map into the exchange, checking every name and value. */
  private void copyReplacedHeaders() {
    Map<String, String[]> replaced = replacedHeaders;
    if (replaced == null) {
      return;
    }
    for (Map.Entry<String, String[]> e : replaced.entrySet()) {
      HttpSyntax.checkHeaderName(e.getKey());
      for (String value : e.getValue()) {
        HttpSyntax.checkHeaderValue(e.getKey(), value);
      }
    }
    HeaderMap target = exchange.getResponseHeaders();
    target.clear();
    for (Map.Entry<String, String[]> e : replaced.entrySet()) {
      target.putAll(new HttpString(e.getKey()), List.of(e.getValue()));
    }
  }

  @Override
  public boolean hasStarted() {
    return starter.hasStarted();
  }

  @Override
  public void onStarting(Runnable callback) {
    starter.onStarting(callback);
  }

  @Override
  public void onCompleted(Runnable callback) {
    starter.onCompleted(callback);
  }

  /** Guards the header view: the headers may change until the response starts. */
  @Override
  public void checkMutable() {
    checkNotStarted("owin.ResponseHeaders");
  }

  private void checkNotStarted(String what) {
    if (starter.hasStarted()) {
      throw new IllegalStateException(
          what
              + " cannot change: the response has started (the first body write, flush or the end"
              + " of the application sends status and headers); set it before, or in an"
              + " on-starting callback");
    }
  }

  @Override
  public String toString() {
    return "ExchangeResponseFeature{" + statusCode() + (hasStarted() ? ", started}" : "}");
  }
}
