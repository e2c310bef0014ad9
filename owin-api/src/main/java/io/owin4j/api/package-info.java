/**
 * The Owin4J contract: the application and middleware delegates, the environment keys and the
 * cancellation token.
 *
 * <p>An application is an {@link io.owin4j.api.AppFunc}: a function from an environment map to a
 * completion stage. Portable middleware depends on this module alone.
 */
@NullMarked
package io.owin4j.api;

import org.jspecify.annotations.NullMarked;
