/**
 * The Undertow host's implementation: typed features over {@code HttpServerExchange}, live header
 * views, body streams and the per-request lifecycle. Not an API: other modules must not use it.
 */
@NullMarked
package io.owin4j.undertow.internal;

import org.jspecify.annotations.NullMarked;
