package io.owin4j.core;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.owin4j.api.features.FeatureCollection;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Round trips between the two directions hand back the original object, never a re-wrap. */
class RoundTripTest {

  @Test
  void featuresToEnvironmentAndBackIsTheSameCollection() {
    FeatureCollection features = new TypedRequest().features;

    assertSame(features, OwinFeatureCollection.of(OwinEnvironment.of(features)));
  }

  @Test
  void environmentToFeaturesAndBackIsTheSameMap() {
    Map<String, Object> env = new DictionaryRequest().env;

    assertSame(env, OwinEnvironment.of(OwinFeatureCollection.of(env)));
  }
}
