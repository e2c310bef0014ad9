package io.owin4j.features;

import io.owin4j.api.features.ResponseFeature;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ResponseFeature} held in fields, gated by a {@link ResponseStarter}.
 *
 * <p>Status 200, no reason phrase, no protocol and an empty {@link HeaderDictionary} until set. When
 * the response starts the headers are frozen (if they are a {@code HeaderDictionary}) and every
 * setter fails with {@link IllegalStateException}, such as {@code cannot set status code: the
 * response has started}. During the on-starting callbacks changes are still allowed: that is what
 * they are for.
 *
 * <p>Not thread-safe.
 */
public final class DefaultResponseFeature implements ResponseFeature {
  private final ResponseStarter starter;
  private int statusCode = 200;
  private @Nullable String reasonPhrase;
  private @Nullable String protocol;
  private Map<String, String[]> headers = new HeaderDictionary();

  /**
   * Creates the response of a request.
   *
   * @param starter the gate of this response; must not have started
   * @throws IllegalStateException if {@code starter} has started
   */
  public DefaultResponseFeature(ResponseStarter starter) {
    this.starter = Objects.requireNonNull(starter, "starter");
    starter.onStarted(this::freezeHeaders);
  }

  @Override
  public int statusCode() {
    return statusCode;
  }

  @Override
  public void setStatusCode(int statusCode) {
    if (statusCode < 100 || statusCode > 999) {
      throw new IllegalArgumentException("status code must be in [100, 999], got " + statusCode);
    }
    checkNotStarted("status code");
    this.statusCode = statusCode;
  }

  @Override
  public @Nullable String reasonPhrase() {
    return reasonPhrase;
  }

  @Override
  public void setReasonPhrase(@Nullable String reasonPhrase) {
    checkNotStarted("reason phrase");
    this.reasonPhrase = reasonPhrase;
  }

  @Override
  public @Nullable String protocol() {
    return protocol;
  }

  @Override
  public void setProtocol(@Nullable String protocol) {
    checkNotStarted("protocol");
    this.protocol = protocol;
  }

  @Override
  public Map<String, String[]> headers() {
    return headers;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Only a {@link HeaderDictionary} can be frozen when the response starts; another map stays
   * writable, and changes to it after the start are not sent.
   */
  @Override
  public void setHeaders(Map<String, String[]> headers) {
    Objects.requireNonNull(headers, "headers");
    checkNotStarted("headers");
    this.headers = headers;
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

  private void freezeHeaders() {
    if (headers instanceof HeaderDictionary dictionary) {
      dictionary.freeze("the response has started");
    }
  }

  private void checkNotStarted(String what) {
    if (starter.hasStarted()) {
      throw new IllegalStateException("cannot set " + what + ": the response has started");
    }
  }

  @Override
  public String toString() {
    return "DefaultResponseFeature{" + statusCode + ", " + headers + ", " + starter + "}";
  }
}
