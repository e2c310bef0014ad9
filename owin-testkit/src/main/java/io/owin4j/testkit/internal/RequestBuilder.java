package io.owin4j.testkit.internal;

import io.owin4j.testkit.TestRequest;
import io.owin4j.testkit.TestResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The {@link TestRequest} of every mode. */
final class RequestBuilder implements TestRequest {
  private final Client client;
  private final RequestDraft draft;
  private boolean sent;

  RequestBuilder(Client client, RequestDraft draft) {
    this.client = client;
    this.draft = draft;
  }

  @Override
  public TestRequest header(String name, String value) {
    draft.header(name, value);
    return this;
  }

  @Override
  public TestRequest query(String name, String value) {
    draft.query(name, value);
    return this;
  }

  @Override
  public TestRequest body(String text, String contentType) {
    Objects.requireNonNull(text, "text");
    draft.body(text.getBytes(StandardCharsets.UTF_8), contentType);
    return this;
  }

  @Override
  public TestRequest body(byte[] bytes, String contentType) {
    draft.body(bytes, contentType);
    return this;
  }

  @Override
  public TestRequest body(InputStream stream, String contentType) {
    draft.body(stream, contentType);
    return this;
  }

  @Override
  public TestRequest timeout(Duration timeout) {
    draft.timeout(timeout);
    return this;
  }

  @Override
  public TestResponse send() {
    OutgoingRequest request = build();
    return Waiting.await(dispatch(request), request.timeout(), "the response to " + request);
  }

  @Override
  public CompletableFuture<TestResponse> sendAsync() {
    CompletableFuture<TestResponse> dispatched = dispatch(build());
    CompletableFuture<TestResponse> result = new CompletableFuture<>();
    dispatched.whenComplete(
        (response, failure) -> {
          if (failure == null) {
            result.complete(response);
          } else {
            Throwable cause = Failures.unwrap(failure);
            result.completeExceptionally(
                cause instanceof ApplicationFailure application ? application.getCause() : cause);
          }
        });
    result.whenComplete(
        (response, failure) -> {
          if (result.isCancelled()) {
            dispatched.cancel(true);
          }
        });
    return result;
  }

  private OutgoingRequest build() {
    if (sent) {
      throw new IllegalStateException(draft + " was already sent; build a new request");
    }
    sent = true;
    return client.withCookies(draft.toRequest());
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
