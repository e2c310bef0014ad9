package io.owin4j.middleware.staticfiles;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Where files come from: a folder or a class path prefix. */
interface Source {
  /**
   * The resource at {@code relative}: checked segments joined with {@code /}, no leading slash,
   * empty for the root. Null when nothing is there, or when it would lie outside the root.
   */
  @Nullable Resource find(String relative) throws IOException;
}
