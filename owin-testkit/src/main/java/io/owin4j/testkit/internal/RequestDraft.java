package io.owin4j.testkit.internal;

import io.owin4j.core.host.HttpSyntax;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request being put together, with the checks every request builder of the testkit applies: the
 * client's {@code TestRequest} and the unit-test {@code TestEnvironment} builder both fill one.
 *
 * <p>For one thread.
 */
public final class RequestDraft {
  private final String method;
  private String target;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private byte @Nullable [] bodyBytes;
  private @Nullable InputStream bodyStream;
  private Duration timeout = Client.DEFAULT_TIMEOUT;

  /**
   * Starts a request.
   *
   * @throws IllegalArgumentException if {@code method} is not an HTTP token or {@code target} is
   *     not a request target
   */
  public RequestDraft(String method, String target) {
    this.method = HttpSyntax.requireToken(method, "method");
    this.target = HttpSyntax.requireTarget(target);
  }

  /** Adds a header; see {@code TestRequest#header}. */
  public void header(String name, String value) {
    HttpSyntax.requireToken(name, "header name");
    headers.add(Map.entry(name, HttpSyntax.requireHeaderValue(name, value)));
  }

  /** Appends a form-encoded query parameter to the target. */
  public void query(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    target +=
        (target.indexOf('?') < 0 ? "?" : "&")
            + URLEncoder.encode(name, StandardCharsets.UTF_8)
            + "="
            + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Sets the body to a copy of {@code bytes}; see {@code TestRequest#body(byte[], String)}. */
  public void body(byte[] bytes, String contentType) {
    Objects.requireNonNull(bytes, "bytes");
    setContentType(contentType);
    bodyBytes = bytes.clone();
  }

  /** Sets the body to {@code stream}; see {@code TestRequest#body(InputStream, String)}. */
  public void body(InputStream stream, String contentType) {
    Objects.requireNonNull(stream, "stream");
    setContentType(contentType);
    bodyStream = stream;
  }

  private void setContentType(String contentType) {
    HttpSyntax.requireHeaderValue(
        "Content-Type", Objects.requireNonNull(contentType, "contentType"));
    if (bodyBytes != null || bodyStream != null) {
      throw new IllegalStateException(
          "the body of " + method + " " + target + " was already set; set it once");
    }
    headers.add(Map.entry("Content-Type", contentType));
  }

  /** Sets the timeout; see {@code TestRequest#timeout}. */
  public void timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
  }

  /** How long the request waits. */
  public Duration timeout() {
    return timeout;
  }

  /** The request as it stands. */
  public OutgoingRequest toRequest() {
    return new OutgoingRequest(method, target, headers, bodyBytes, bodyStream, timeout);
  }

  @Override
  public String toString() {
    return method + " " + target;
  }
}
