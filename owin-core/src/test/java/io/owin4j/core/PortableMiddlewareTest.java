package io.owin4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.ResponseFeature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The acceptance point: one middleware written against owin-api runs unchanged over a typed host and
 * over a dictionary-only host, and typed code runs over the dictionary-only host, all with the same
 * results.
 */
class PortableMiddlewareTest {
  private static final Observed EXPECTED =
      new Observed(
          201,
          List.of("text/plain; charset=utf-8"),
          List.of("World"),
          "Hello World from POST /items?a=1&b=two");

  private static final AppFunc NOT_FOUND =
      env -> {
        env.put(OwinKeys.RESPONSE_STATUS_CODE, 404);
        return CompletableFuture.completedFuture(null);
      };

  private final AppFunc app = new PortableGreeting().apply(NOT_FOUND);

  /** What a client would see. */
  record Observed(int status, List<String> contentType, List<String> greeted, String body) {}

  @Test
  void portableMiddlewareOverTypedHost() throws Exception {
    TypedRequest host = new TypedRequest();

    app.invoke(OwinEnvironment.of(host.features)).toCompletableFuture().join();
    host.starter.start();
    host.starter.complete();

    Map<String, String[]> headers = host.response.headers();
    assertEquals(
        EXPECTED,
        new Observed(
            host.response.statusCode(),
            List.of(headers.get("Content-Type")),
            List.of(headers.get("X-Greeted")),
            host.sentText()));
  }

  @Test
  void portableMiddlewareOverDictionaryHost() throws Exception {
    DictionaryRequest host = new DictionaryRequest();

    app.invoke(host.env).toCompletableFuture().join();
    host.sendHeaders();

    assertEquals(
        EXPECTED,
        new Observed(
            host.statusSent,
            List.of(host.responseHeaders.get("Content-Type")),
            List.of(host.responseHeaders.get("X-Greeted")),
            host.sentText()));
  }

  @Test
  void portableMiddlewarePassesOtherPathsOnOverBothHosts() throws Exception {
    TypedRequest typed = new TypedRequest();
    typed.request.setPath("/elsewhere");
    DictionaryRequest dictionary = new DictionaryRequest();
    dictionary.env.put(OwinKeys.REQUEST_PATH, "/elsewhere");

    app.invoke(OwinEnvironment.of(typed.features)).toCompletableFuture().join();
    app.invoke(dictionary.env).toCompletableFuture().join();
    dictionary.sendHeaders();

    assertEquals(404, typed.response.statusCode());
    assertEquals(404, dictionary.statusSent);
  }

  @Test
  void typedCodeOverDictionaryHost() throws Exception {
    DictionaryRequest host = new DictionaryRequest();

    typedGreeting(OwinFeatureCollection.of(host.env));
    host.sendHeaders();

    assertEquals(
        EXPECTED,
        new Observed(
            host.statusSent,
            List.of(host.responseHeaders.get("Content-Type")),
            List.of(host.responseHeaders.get("X-Greeted")),
            host.sentText()));
  }

  /** The same greeting, written against the typed features. */
  private static void typedGreeting(FeatureCollection features) throws Exception {
    RequestFeature request = features.require(RequestFeature.class);
    ResponseFeature response = features.require(ResponseFeature.class);
    String name = request.headers().get("x-name")[0];
    response.onStarting(() -> response.headers().put("X-Greeted", new String[] {name}));
    response.setStatusCode(201);
    response.headers().put("Content-Type", new String[] {"text/plain; charset=utf-8"});
    features
        .require(ResponseBodyFeature.class)
        .stream()
        .write(
            ("Hello " + name + " from " + request.method() + " " + request.path()
                    + request.queryString())
                .getBytes(StandardCharsets.UTF_8));
  }
}
