/**
 * Diagnostics: {@link io.owin4j.middleware.diagnostics.RequestId}, {@link
 * io.owin4j.middleware.diagnostics.AccessLog}, {@link
 * io.owin4j.middleware.diagnostics.RequestTimeout} and {@link
 * io.owin4j.middleware.diagnostics.HealthCheck}.
 */
@NullMarked
package io.owin4j.middleware.diagnostics;

import org.jspecify.annotations.NullMarked;
