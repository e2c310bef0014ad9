/**
 * Helpers shared by the middleware packages of this module; not an API, may change at any time.
 */
@NullMarked
package io.owin4j.middleware.internal;

import org.jspecify.annotations.NullMarked;
