/**
 * Strongly typed features: the same request data as the OWIN environment, behind interfaces keyed
 * by their type in a {@link io.owin4j.api.features.FeatureCollection}.
 *
 * <p>Accessors are named after the property ({@code path()}), mutators {@code setPath(...)}.
 * Features are live: a change made through one view is seen through the other at once.
 */
@NullMarked
package io.owin4j.api.features;

import org.jspecify.annotations.NullMarked;
