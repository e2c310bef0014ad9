/** Cross-origin resource sharing: {@link io.owin4j.middleware.cors.Cors}. */
@NullMarked
package io.owin4j.middleware.cors;

import org.jspecify.annotations.NullMarked;
