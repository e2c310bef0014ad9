package io.owin4j.core.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The part of a file a {@code sendfile.SendAsync} call sends, checked the way every host checks
 * it, before anything is sent.
 *
 * <p>{@link #of} decides every case once: a negative offset or count, a path that names no regular
 * file, an offset past the end of the file and a count reaching past it fail with {@link
 * IllegalArgumentException} naming the argument and what arrived; a missing file fails with {@link
 * NoSuchFileException}. A null count sends to the end of the file. Immutable and thread-safe.
 *
 * @param file the file to send
 * @param offset where the range starts, in [0, size of the file]
 * @param length how many bytes to send from {@code offset}, at most to the end of the file
 */
public record SendFileRange(Path file, long offset, long length) {
  /**
   * Checks a sendfile call's arguments against the file as it is now.
   *
   * @param path the path the application passed
   * @param offset the offset it passed
   * @param count the count it passed; null for "to the end of the file"
   * @throws NoSuchFileException if nothing is at {@code path}
   * @throws IOException if the file's attributes cannot be read
   * @throws IllegalArgumentException if {@code offset} or {@code count} is negative, {@code path}
   *     names no regular file (a directory, say), {@code offset} lies past the end of the file, or
   *     {@code count} reaches past it
   */
  public static SendFileRange of(String path, long offset, @Nullable Long count)
      throws IOException {
    Objects.requireNonNull(path, "path");
    if (offset < 0) {
      throw new IllegalArgumentException("sendfile offset must be >= 0, got " + offset);
    }
    if (count != null && count < 0) {
      throw new IllegalArgumentException("sendfile count must be >= 0 or null, got " + count);
    }
    Path file = Path.of(path);
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new IllegalArgumentException(
          "sendfile path must name a regular file, got \"" + path + "\"");
    }
    long size = attributes.size();
    if (offset > size) {
      throw new IllegalArgumentException(
          "sendfile offset must be within the file of " + size + " bytes, got " + offset);
    }
    if (count == null) {
      return new SendFileRange(file, offset, size - offset);
    }
    if (count > size - offset) {
      throw new IllegalArgumentException(
          "sendfile range must lie within the file of "
              + size
              + " bytes, got offset "
              + offset
              + " and count "
              + count);
    }
    return new SendFileRange(file, offset, count);
  }
}
