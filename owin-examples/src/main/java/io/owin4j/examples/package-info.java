/**
 * The Owin4J demo server and its example middleware.
 *
 * <p>Every endpoint and middleware here is portable: it depends on {@code owin-api} alone, reads
 * the environment through the key constants and the extension delegates, and so runs unchanged on
 * any OWIN host. Only {@link io.owin4j.examples.DemoServer} ties them to the Undertow host.
 *
 * <p>The endpoints answer whatever path they are mounted at; {@link io.owin4j.examples.DemoApp}
 * routes to them and wraps them in the standard middleware of owin-middleware. Those that use the blocking body streams say so: a host must call them on a
 * thread that may block (the Undertow host's worker executor).
 */
@NullMarked
package io.owin4j.examples;

import org.jspecify.annotations.NullMarked;
