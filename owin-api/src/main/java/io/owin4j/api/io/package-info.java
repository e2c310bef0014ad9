/**
 * Non-blocking faces that a host's body streams may offer besides the blocking {@code InputStream}
 * and {@code OutputStream}; middleware discovers them with {@code instanceof}.
 */
@NullMarked
package io.owin4j.api.io;

import org.jspecify.annotations.NullMarked;
