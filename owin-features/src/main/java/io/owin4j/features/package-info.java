/**
 * Server-neutral implementations of the typed features, for hosts to build on: the feature
 * collection, the header dictionary, the response start gate and body stream, and the
 * cancellation source.
 *
 * <p>Hosts create one set of these per request and fill them from their native request. The
 * {@link io.owin4j.features.ResponseStarter} ties the response together: the response feature, the
 * body stream and the host's own action that sends the status and headers all hang off it. When the
 * application's stage completes the host answers 500 if it failed before the response started (clear
 * the headers, set the status), then calls {@code start()} and {@code complete()} on the starter.
 * The test {@code HostWiringExampleTest} in this module's sources shows the wiring in full.
 *
 * <p>None of these classes is thread-safe unless its documentation says so; a request's objects are
 * used by one thread at a time.
 */
@NullMarked
package io.owin4j.features;

import org.jspecify.annotations.NullMarked;
