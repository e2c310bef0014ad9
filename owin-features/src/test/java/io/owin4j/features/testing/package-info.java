/** Test support shared with the other modules' tests through this module's test jar. */
@NullMarked
package io.owin4j.features.testing;

import org.jspecify.annotations.NullMarked;
