package io.owin4j.undertow;

/**
 * Where the host invokes the application: on a worker thread, or directly on the IO thread that
 * read the request.
 *
 * <p>Either way the application's stage may complete on any thread; the exchange ends when it does.
 */
public enum Dispatch {
  /**
   * Invoke the application on the worker executor (the default). The blocking body streams work
   * there: a read waits for request bytes and a write waits until the client takes the bytes. Costs
   * one thread hop per request.
   */
  WORKER,

  /**
   * Invoke the application on the IO thread, with no thread hop. The application MUST NOT block:
   * reads and writes go through {@link io.owin4j.api.io.AsyncReadable} and {@link
   * io.owin4j.api.io.AsyncWritable}, found on the body streams with {@code instanceof}, and slow
   * work goes to another thread whose completion completes the stage.
   *
   * <p>The blocking streams stay usable for what never waits: writes are buffered and sent when the
   * stage completes (or queued for sending on a flush or when the buffer is full, without waiting);
   * a read returns bytes that already arrived and fails with {@link IllegalStateException} when it
   * would have to wait.
   *
   * <pre>{@code
   * // Wrong on the IO thread: the slow call blocks every connection this thread serves.
   * AppFunc wrong = env -> {
   *   write(env, slowLookup());
   *   return CompletableFuture.completedFuture(null);
   * };
   *
   * // Right: the slow call runs on another executor; its completion completes the stage.
   * AppFunc right = env ->
   *     CompletableFuture.supplyAsync(() -> slowLookup(), lookupExecutor)
   *         .thenAccept(text -> write(env, text));
   * }</pre>
   */
  IO_THREAD
}
