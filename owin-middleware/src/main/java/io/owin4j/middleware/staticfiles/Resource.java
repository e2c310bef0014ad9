package io.owin4j.middleware.staticfiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A file or folder found under a {@link Source}. */
interface Resource {
  /** The file name, for the content type and listings. */
  String name();

  boolean isDirectory();

  long size();

  Instant lastModified();

  /** The real file for sendfile; null when the bytes do not live in a file of their own. */
  @Nullable Path file();

  /** Opens the bytes from {@code offset}; blocks on the disk. */
  InputStream open(long offset) throws IOException;

  /** The entries of a directory, sorted by name; empty for a file. */
  List<Resource> children() throws IOException;
}
