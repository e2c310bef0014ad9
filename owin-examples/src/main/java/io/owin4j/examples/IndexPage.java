package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Answers {@code GET} (and {@code HEAD}) with the demo's HTML page: a WebSocket echo console, a
 * chat room and links to the other routes; other methods get 405.
 *
 * <p>The page is self-contained (no external scripts, styles or fonts) and talks to {@code
 * /ws/echo} with the subprotocol {@code echo.v1}. Its controls have stable ids for browser tests:
 * {@code #connect}, {@code #message}, {@code #send}, {@code #log} (entries with the classes {@code
 * sent}, {@code received} and {@code info}) and {@code #status}. Its chat room talks to {@code
 * /ws/chat} ({@link ChatRoom}) through {@code #chat-name}, {@code #chat-join}, {@code
 * #chat-status}, {@code #chat-message}, {@code #chat-send} and {@code #chat-log} (entries of class
 * {@code chat-entry}, each a {@code .text} after a {@code .from} sender, or of class {@code info}
 * without one).
 */
public final class IndexPage implements AppFunc {
  /** The response's content type. */
  public static final String CONTENT_TYPE = "text/html; charset=utf-8";

  private static final String RESOURCE = "index.html";

  private final byte[] page;

  /**
   * Loads the page from the class path.
   *
   * @throws IllegalStateException if the page is missing from the class path (a broken build)
   * @throws UncheckedIOException if reading it fails
   */
  public IndexPage() {
    try (InputStream in = IndexPage.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " must be on the class path next to " + IndexPage.class.getName());
      }
      page = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE + " failed", e);
    }
  }

  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    if (!Env.isGetOrHead(env)) {
      return Env.methodNotAllowed(env, "GET, HEAD");
    }
    Env.setHeader(env, "Cache-Control", "no-cache");
    return Env.send(env, 200, CONTENT_TYPE, page);
  }
}
