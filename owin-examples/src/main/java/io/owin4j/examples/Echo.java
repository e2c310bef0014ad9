package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Answers {@code POST} with the request body, under the request's {@code Content-Type}; other
 * methods get 405.
 *
 * <p>The body is copied through one fixed buffer of 8 KiB as it arrives, never held whole, so a
 * body of any size passes in constant memory and the response has no {@code Content-Length} (the
 * host streams it, chunked on HTTP/1.1). A request without {@code Content-Type} gets a response
 * without one.
 *
 * <p>Uses the blocking body streams, so the host calls it where blocking is allowed. A failure to
 * read or write fails the stage; the response has started by then and the host aborts it.
 */
public final class Echo implements AppFunc {
  /** Creates the endpoint; it holds no state. */
  public Echo() {}

  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    if (!Env.method(env).equals("POST")) {
      return Env.methodNotAllowed(env, "POST");
    }
    String contentType = Env.requestHeader(env, "Content-Type");
    if (contentType != null) {
      Env.setHeader(env, "Content-Type", contentType);
    }
    Env.copy(
        Env.require(env, OwinKeys.REQUEST_BODY, InputStream.class),
        Env.responseBody(env),
        Long.MAX_VALUE);
    return Env.done();
  }
}
