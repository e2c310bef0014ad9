/**
 * Turning failures into responses: {@link io.owin4j.middleware.errors.ErrorHandling}, and {@link
 * io.owin4j.middleware.errors.HttpStatusException} for an application that wants a 4xx or 5xx
 * answered for it.
 */
@NullMarked
package io.owin4j.middleware.errors;

import org.jspecify.annotations.NullMarked;
