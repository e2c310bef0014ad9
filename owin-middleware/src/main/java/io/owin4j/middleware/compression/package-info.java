/**
 * Response compression with gzip, negotiated by {@code Accept-Encoding}, streaming: {@link
 * io.owin4j.middleware.compression.ResponseCompression}.
 */
@NullMarked
package io.owin4j.middleware.compression;

import org.jspecify.annotations.NullMarked;
