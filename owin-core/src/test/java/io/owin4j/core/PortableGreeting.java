package io.owin4j.core;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Portable middleware written against owin-api alone: answers requests under {@code /items} with a
 * greeting, passes the others on.
 */
final class PortableGreeting implements MidFunc {
  @Override
  public AppFunc apply(AppFunc next) {
    return env -> {
      String path = (String) env.get(OwinKeys.REQUEST_PATH);
      if (!path.startsWith("/items")) {
        return next.invoke(env);
      }
      String method = (String) env.get(OwinKeys.REQUEST_METHOD);
      String query = (String) env.get(OwinKeys.REQUEST_QUERY_STRING);
      @SuppressWarnings("unchecked")
      Map<String, String[]> requestHeaders =
          (Map<String, String[]>) env.get(OwinKeys.REQUEST_HEADERS);
      @SuppressWarnings("unchecked")
      Map<String, String[]> responseHeaders =
          (Map<String, String[]>) env.get(OwinKeys.RESPONSE_HEADERS);
      String name = requestHeaders.get("x-name")[0];

      ((OnSendingHeaders) env.get(ServerKeys.ON_SENDING_HEADERS))
          .register(
              state -> responseHeaders.put("X-Greeted", new String[] {(String) state}), name);
      env.put(OwinKeys.RESPONSE_STATUS_CODE, 201);
      responseHeaders.put("Content-Type", new String[] {"text/plain; charset=utf-8"});
      OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
      body.write(
          ("Hello " + name + " from " + method + " " + path + "?" + query)
              .getBytes(StandardCharsets.UTF_8));
      return CompletableFuture.completedFuture(null);
    };
  }
}
