/**
 * Standard portable middleware: each piece depends on the OWIN contract (and the bridge in
 * owin-core) only, so it runs on every Owin4J host and on any other OWIN host.
 */
@NullMarked
package io.owin4j.middleware;

import org.jspecify.annotations.NullMarked;
