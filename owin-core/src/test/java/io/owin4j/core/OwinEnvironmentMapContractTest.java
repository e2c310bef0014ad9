package io.owin4j.core;

import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import io.owin4j.api.OwinKeys;
import io.owin4j.features.DefaultFeatureCollection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code Map} contract of {@link OwinEnvironment}, checked by guava-testlib's map suite.
 *
 * <p>The samples are keys no feature knows, so they live in the side map. An environment always
 * shows {@code owin.Version} and {@code owin.CallCancelled}, and the suite needs maps holding
 * exactly its samples, so the generator removes those two first, through the ordinary {@code
 * remove}: the suite then also proves that a removed well-known key stays absent everywhere.
 */
class OwinEnvironmentMapContractTest {

  @TestFactory
  DynamicNode mapContract() {
    return JUnit3Suites.toDynamic(
        MapTestSuiteBuilder.using(new Generator())
            .named("OwinEnvironment")
            .withFeatures(
                MapFeature.GENERAL_PURPOSE,
                MapFeature.ALLOWS_ANY_NULL_QUERIES,
                CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                CollectionFeature.KNOWN_ORDER,
                CollectionSize.ANY)
            .createTestSuite());
  }

  private static final class Generator implements TestMapGenerator<String, Object> {
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
      OwinEnvironment environment = new OwinEnvironment(new DefaultFeatureCollection());
      environment.remove(OwinKeys.VERSION);
      environment.remove(OwinKeys.CALL_CANCELLED);
      for (Object entry : entries) {
        @SuppressWarnings("unchecked")
        Map.Entry<String, Object> e = (Map.Entry<String, Object>) entry;
        environment.put(e.getKey(), e.getValue());
      }
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
