package io.owin4j.core;

import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import io.owin4j.api.FeatureKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.features.DefaultFeatureCollection;
import io.owin4j.features.testing.JUnit3Suites;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code Map} contract of {@link OwinEnvironment}, checked by guava-testlib's map suite.
 *
 * <p>The suite needs maps holding exactly its samples, while an environment always shows {@code
 * owin.Version}, {@code owin.CallCancelled} and {@code owin4j.Features} (and every key its features
 * back). So each generator
 * first empties the environment through the ordinary {@code remove} or {@code clear}: the suite then
 * also proves that a removed well-known key stays absent everywhere until it is put again.
 *
 * <p>The first suite's samples are unknown keys, which live in the side map. The second runs over
 * the Default* features, and most of its samples are well-known keys whose values go into the
 * features and come back through the views.
 */
class OwinEnvironmentMapContractTest {

  @TestFactory
  DynamicNode mapContractWithUnknownKeys() {
    return JUnit3Suites.toDynamic(
        MapTestSuiteBuilder.using(new Generator())
            .named("OwinEnvironment with unknown keys")
            .withFeatures(
                MapFeature.GENERAL_PURPOSE,
                MapFeature.ALLOWS_ANY_NULL_QUERIES,
                CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                CollectionFeature.KNOWN_ORDER,
                CollectionSize.ANY)
            .createTestSuite());
  }

  @TestFactory
  DynamicNode mapContractWithKeysBackedByFeatures() {
    return JUnit3Suites.toDynamic(
        MapTestSuiteBuilder.using(new FeatureBackedGenerator())
            .named("OwinEnvironment with keys backed by features")
            .withFeatures(
                MapFeature.GENERAL_PURPOSE,
                MapFeature.ALLOWS_ANY_NULL_QUERIES,
                CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                CollectionSize.ANY)
            .createTestSuite());
  }

  /**
   * Samples under required well-known keys that take any string, so the suite may put any sample
   * value under any sample key: three written into the request feature, {@code owin.Version} kept
   * as an override, and one unknown key. (Optional keys are left out on purpose: putting null
   * there removes the key, as OWIN allows, where the suite expects a refusal.)
   */
  private static final class FeatureBackedGenerator extends Generator {
    @Override
    public SampleElements<Map.Entry<String, Object>> samples() {
      return new SampleElements<>(
          Map.entry(OwinKeys.REQUEST_METHOD, "PATCH"),
          Map.entry(OwinKeys.REQUEST_SCHEME, "wss"),
          Map.entry(OwinKeys.REQUEST_PROTOCOL, "HTTP/3"),
          Map.entry(OwinKeys.VERSION, "1.1"),
          Map.entry("app.five", "five"));
    }

    @Override
    OwinEnvironment emptyEnvironment() {
      OwinEnvironment environment = new OwinEnvironment(new TypedRequest().features);
      environment.clear();
      return environment;
    }
  }

  private static class Generator implements TestMapGenerator<String, Object> {
    @Override
    public SampleElements<Map.Entry<String, Object>> samples() {
      return new SampleElements<>(
          Map.entry("app.one", "January"),
          Map.entry("app.two", 2),
          Map.entry("app.three", List.of("March")),
          Map.entry("app.four", "April"),
          Map.entry("app.five", 5L));
    }

    @Override
    public Map<String, Object> create(Object... entries) {
      OwinEnvironment environment = emptyEnvironment();
      for (Object entry : entries) {
        @SuppressWarnings("unchecked")
        Map.Entry<String, Object> e = (Map.Entry<String, Object>) entry;
        environment.put(e.getKey(), e.getValue());
      }
      return environment;
    }

    OwinEnvironment emptyEnvironment() {
      OwinEnvironment environment = new OwinEnvironment(new DefaultFeatureCollection());
      environment.remove(OwinKeys.VERSION);
      environment.remove(OwinKeys.CALL_CANCELLED);
      environment.remove(FeatureKeys.FEATURES);
      return environment;
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
    @Override
    public Map.Entry<String, Object>[] createArray(int length) {
      return new Map.Entry[length];
    }

    @Override
    public Iterable<Map.Entry<String, Object>> order(
        List<Map.Entry<String, Object>> insertionOrder) {
      return insertionOrder;
    }

    @Override
    public String[] createKeyArray(int length) {
      return new String[length];
    }

    @Override
    public Object[] createValueArray(int length) {
      return new Object[length];
    }
  }
}
