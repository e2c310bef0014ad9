package io.owin4j.undertow.it;

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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every host shows the request's typed features under {@code owin4j.Features}, so middleware that
 * depends on owin-api alone reaches them, and they are the same collection owin-core's bridge
 * answers.
 */
@OwinHostTest
@Timeout(30)
class FeaturesKeyTest {

  /** Depends on owin-api alone: typed features when the host offers them, the keys otherwise. */
  static final AppFunc PORTABLE =
      env -> {
        FeatureCollection features = FeatureCollection.fromEnvironment(env);
        String path =
            features == null
                ? "keys " + env.get(OwinKeys.REQUEST_PATH)
                : "typed " + features.require(RequestFeature.class).path();
        String same = String.valueOf(features == OwinFeatureCollection.of(env));
        return OwinContext.of(env).writeTextAsync(path + "|" + same);
      };

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app -> app.run(PORTABLE);
  }

  @Test
  void portableMiddlewareReachesTheHostsFeaturesThroughTheKey(TestClient client) {
    assertEquals("typed /items|true", client.get("/items").send().bodyAsText());
  }
}
