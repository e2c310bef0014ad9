/**
 * The bridge between OWIN dictionaries and typed features, both directions; the pipeline builder; the
 * typed convenience context; and the spec linter.
 */
@NullMarked
package io.owin4j.core;

import org.jspecify.annotations.NullMarked;
