/**
 * Static files from a folder or the class path, with validators, conditional and range requests,
 * index files, an opt-in directory listing, and sendfile when the host offers it: {@link
 * io.owin4j.middleware.staticfiles.StaticFiles}.
 */
@NullMarked
package io.owin4j.middleware.staticfiles;

import org.jspecify.annotations.NullMarked;
