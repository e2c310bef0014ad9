/**
 * Server-neutral implementations of the typed features, for hosts to build on: the feature
 * collection, the header dictionary, the response start gate and body stream, and the
 * cancellation source.
 *
 * <p>Hosts create one set of these per request and fill them from their native request. None of
 * these classes is thread-safe unless its documentation says so; a request's objects are used by
 * one thread at a time.
 */
@NullMarked
package io.owin4j.features;

import org.jspecify.annotations.NullMarked;
