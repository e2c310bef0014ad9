package io.owin4j.features;

import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import io.owin4j.features.testing.HeaderMapContract;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code Map} contract of {@link HeaderDictionary}, checked by guava-testlib's map suite (and
 * the key set, values and entry set suites it derives), with the features its Javadoc claims:
 * insertion order, removal through the map, its views and their iterators, fail-fast iterators,
 * null names and values rejected, queries with null finding nothing.
 */
class HeaderDictionaryMapContractTest {

  @TestFactory
  DynamicNode mapContract() {
    return HeaderMapContract.suite(
        "HeaderDictionary",
        HeaderDictionary::new,
        MapFeature.GENERAL_PURPOSE,
        MapFeature.ALLOWS_ANY_NULL_QUERIES,
        MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
        CollectionFeature.KNOWN_ORDER,
        CollectionSize.ANY);
  }
}
