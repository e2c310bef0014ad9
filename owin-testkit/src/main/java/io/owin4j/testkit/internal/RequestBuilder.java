package io.owin4j.testkit.internal;

import io.owin4j.testkit.TestRequest;
import io.owin4j.testkit.TestResponse;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** The {@link TestRequest} of every mode. */
final class RequestBuilder implements TestRequest {
  private final Client client;
  private final String method;
  private String target;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private byte @Nullable [] bodyBytes;
  private @Nullable InputStream bodyStream;
  private Duration timeout = Client.DEFAULT_TIMEOUT;
  private boolean sent;

  RequestBuilder(Client client, String method, String target) {
    this.client = client;
    this.method = method;
    this.target = target;
  }

  @Override
  public TestRequest header(String name, String value) {
    HttpSyntax.requireToken(name, "header name");
    headers.add(Map.entry(name, HttpSyntax.requireHeaderValue(name, value)));
    return this;
  }

  @Override
  public TestRequest query(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    target +=
        (target.indexOf('?') < 0 ? "?" : "&")
            + URLEncoder.encode(name, StandardCharsets.UTF_8)
            + "="
            + URLEncoder.encode(value, StandardCharsets.UTF_8);
    return this;
  }

  @Override
  public TestRequest body(String text, String contentType) {
    Objects.requireNonNull(text, "text");
    return body(text.getBytes(StandardCharsets.UTF_8), contentType);
  }

  @Override
  public TestRequest body(byte[] bytes, String contentType) {
    Objects.requireNonNull(bytes, "bytes");
    setContentType(contentType);
    bodyBytes = bytes.clone();
    return this;
  }

  @Override
  public TestRequest body(InputStream stream, String contentType) {
    Objects.requireNonNull(stream, "stream");
    setContentType(contentType);
    bodyStream = stream;
    return this;
  }

  private void setContentType(String contentType) {
    HttpSyntax.requireHeaderValue("Content-Type", Objects.requireNonNull(contentType, "contentType"));
    if (bodyBytes != null || bodyStream != null) {
      throw new IllegalStateException(
          "the body of " + method + " " + target + " was already set; set it once");
    }
    headers.add(Map.entry("Content-Type", contentType));
  }

  @Override
  public TestRequest timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  @Override
  public TestResponse send() {
    OutgoingRequest request = build();
    return Waiting.await(dispatch(request), timeout, "the response to " + request);
  }

  @Override
  public CompletableFuture<TestResponse> sendAsync() {
    return dispatch(build());
  }

  private OutgoingRequest build() {
    if (sent) {
      throw new IllegalStateException(method + " " + target + " was already sent; build a new one");
    }
    sent = true;
    return client.withCookies(
        new OutgoingRequest(method, target, headers, bodyBytes, bodyStream, timeout));
  }

  private CompletableFuture<TestResponse> dispatch(OutgoingRequest request) {
    CompletableFuture<TestResponse> sending = client.transport().send(request);
    CompletableFuture<TestResponse> result =
        sending.thenApply(
            response -> {
              client.storeCookies(request, response.headers());
              return response;
            });
    // Cancelling what the test holds must reach the transport, which cancels the request.
    result.whenComplete(
        (response, failure) -> {
          if (result.isCancelled()) {
            sending.cancel(true);
          }
        });
    // A response that arrived just as the test cancelled is closed, so the request ends.
    sending.thenAccept(
        response -> {
          if (result.isCancelled()) {
            response.close();
          }
        });
    return result;
  }
}
