package io.owin4j.undertow.internal;

import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import io.owin4j.features.testing.HeaderMapContract;
import io.undertow.util.HeaderMap;
import java.util.List;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code Map} contract of {@link HeaderMapView}, the request and the response view, checked by
 * guava-testlib's map suite with the features its Javadoc claims: put and remove write through,
 * iterators remove, null names and values are rejected, queries with null find nothing. Undertow's
 * header map has no defined iteration order, so none is claimed.
 */
class HeaderMapViewMapContractTest {

  @TestFactory
  List<DynamicNode> mapContract() {
    return List.of(
        HeaderMapContract.suite(
            "HeaderMapView over request headers",
            () -> HeaderMapView.ofRequest(new HeaderMap()),
            MapFeature.GENERAL_PURPOSE,
            MapFeature.ALLOWS_ANY_NULL_QUERIES,
            CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
            CollectionSize.ANY),
        HeaderMapContract.suite(
            "HeaderMapView over response headers",
            () -> HeaderMapView.ofResponse(new HeaderMap(), () -> {}),
            MapFeature.GENERAL_PURPOSE,
            MapFeature.ALLOWS_ANY_NULL_QUERIES,
            CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
            CollectionSize.ANY));
  }
}
