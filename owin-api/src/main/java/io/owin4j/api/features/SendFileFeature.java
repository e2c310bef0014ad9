package io.owin4j.api.features;

import io.owin4j.api.CancellationToken;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Sends a file as (part of) the response body ({@code sendfile.SendAsync}), typed.
 *
 * @see io.owin4j.api.ext.SendFileAsync for the full contract
 */
public interface SendFileFeature {
  /**
   * Sends {@code count} bytes (null: to the end) of the file at {@code path} from {@code offset}.
   */
  CompletionStage<Void> sendFile(
      String path, long offset, @Nullable Long count, CancellationToken cancel);
}
