package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Answers {@code GET} (and {@code HEAD}) with {@code Hello World via OWIN} as {@code text/plain;
 * charset=utf-8} with its {@code Content-Length}; other methods get 405.
 *
 * <p>The smallest useful OWIN application: set status and headers, then write the body. Writes
 * through the blocking response body, so the host calls it where blocking is allowed.
 */
public final class HelloApp implements AppFunc {
  /** The response body. */
  public static final String GREETING = "Hello World via OWIN";

  private static final byte[] BODY = GREETING.getBytes(StandardCharsets.UTF_8);

  /** Creates the endpoint; it holds no state. */
  public HelloApp() {}

  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    if (!Env.isGetOrHead(env)) {
      return Env.methodNotAllowed(env, "GET, HEAD");
    }
    return Env.send(env, 200, Env.TEXT_PLAIN, BODY);
  }
}
