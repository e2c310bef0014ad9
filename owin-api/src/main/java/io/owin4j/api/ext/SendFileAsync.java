package io.owin4j.api.ext;

import io.owin4j.api.CancellationToken;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The {@code sendfile.SendAsync} delegate: sends a file, or a range of it, as response body.
 *
 * <p>Calling it sends the headers first (set Content-Length or Content-Range before). It may be
 * mixed with body writes. The stage completes only when the host is done with the file; afterwards
 * the application may rename, change or delete it. A missing file fails the stage with {@code
 * java.nio.file.NoSuchFileException} and a range outside the file with {@link
 * IllegalArgumentException}, both before anything is sent. Cancellation stops promptly and is fatal
 * to the request.
 */
@FunctionalInterface
public interface SendFileAsync {
  /**
   * Sends {@code count} bytes of the file at {@code path}, starting at {@code offset}.
   *
   * @param path the file's path; should be absolute
   * @param offset the first byte to send, from 0
   * @param count how many bytes to send; null for the rest of the file
   * @param cancel stops the transfer
   */
  CompletionStage<Void> sendFileAsync(
      String path, long offset, @Nullable Long count, CancellationToken cancel);
}
