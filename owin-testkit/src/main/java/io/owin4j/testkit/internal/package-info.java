/** The testkit's implementation: the in-memory host, the socket clients and the test probe. */
@NullMarked
package io.owin4j.testkit.internal;

import org.jspecify.annotations.NullMarked;
