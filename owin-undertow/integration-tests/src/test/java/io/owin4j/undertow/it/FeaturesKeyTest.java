package io.owin4j.undertow.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.core.OwinFeatureCollection;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every host shows the request's typed features under {@code owin4j.Features}, so middleware that
 * depends on owin-api alone reaches them, and they are the collection owin-core's bridge answers.
 */
@OwinHostTest
@Timeout(30)
class FeaturesKeyTest {
  // README:begin features-key
  /** Depends on owin-api alone: the typed features where the host has them, the keys elsewhere. */
  static final AppFunc WHERE_AM_I =
      env -> {
        FeatureCollection features = FeatureCollection.fromEnvironment(env);
        String answer =
            features != null
                ? "typed " + features.require(RequestFeature.class).path()
                : "keys " + env.get(OwinKeys.REQUEST_PATH); // a host that speaks only OWIN
        ((OutputStream) env.get(OwinKeys.RESPONSE_BODY)).write(answer.getBytes(UTF_8));
        return CompletableFuture.completedFuture(null);
      };
  // README:end

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.map(
                "/same",
                branch ->
                    branch.run(
                        env ->
                            OwinContext.of(env)
                                .writeTextAsync(
                                    String.valueOf(
                                        FeatureCollection.fromEnvironment(env)
                                            == OwinFeatureCollection.of(env)))))
            .run(WHERE_AM_I);
  }

  @Test
  void portableMiddlewareReachesTheHostsFeaturesThroughTheKey(TestClient client) {
    assertEquals("typed /items", client.get("/items").send().bodyAsText());
  }

  @Test
  void theKeyHoldsTheCollectionTheBridgeAnswers(TestClient client) {
    assertEquals("true", client.get("/same").send().bodyAsText());
  }

  @Test
  void overAHostThatSpeaksOnlyOwinItFallsBackToTheKeys() throws Exception {
    Map<String, Object> env = new HashMap<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    env.put(OwinKeys.REQUEST_PATH, "/items");
    env.put(OwinKeys.RESPONSE_BODY, body);

    WHERE_AM_I.invoke(env).toCompletableFuture().join();

    assertEquals("keys /items", body.toString(UTF_8));
  }
}
