package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import io.owin4j.middleware.websocket.WebSocketEndpoint;
import io.owin4j.middleware.websocket.WebSocketGroup;
import io.owin4j.middleware.websocket.WebSocketSession;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A chat room over a message-level WebSocket: every member sees every message, with its sender.
 *
 * <h2>Protocol</h2>
 *
 * A client connects with its name in the query ({@code /ws/chat?name=Ada}; {@value
 * #DEFAULT_NAME} when absent or blank, cut to {@value #MAX_NAME_LENGTH} characters, control
 * characters dropped) and sends text messages of at most {@value #MAX_MESSAGE_BYTES} bytes. The
 * room first tells the new member the name it kept, {@code {"type":"welcome","from":"Ada"}}, then
 * sends JSON objects to every member: {@code {"type":"joined","from":"Ada"}} when one joins,
 * {@code {"type":"message","from":"Ada","text":"hi"}} for each message, and {@code
 * {"type":"left","from":"Ada"}} when one leaves. Any other request gets 426.
 *
 * <p>A larger message closes the sender's session with 1009; a member that reads too slowly is
 * closed with 1008 when its send queue fills; a member silent (and sent nothing) for {@link
 * #IDLE_TIMEOUT} is closed with 1001. Pings go out every {@link #PING_INTERVAL}.
 *
 * <p>One room per instance; thread-safe.
 */
public final class ChatRoom implements AppFunc {
  /** The name of a member that gave none. */
  public static final String DEFAULT_NAME = "guest";

  /** The longest name kept, in characters. */
  public static final int MAX_NAME_LENGTH = 32;

  /** The largest message a member may send. */
  public static final int MAX_MESSAGE_BYTES = 4096;

  /** How often the room pings a member. */
  public static final Duration PING_INTERVAL = Duration.ofSeconds(30);

  /** How long a silent member stays. */
  public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

  private static final String NAME = "name";

  private final WebSocketGroup members = new WebSocketGroup();
  private final WebSocketEndpoint endpoint =
      WebSocketEndpoint.builder()
          .maxMessageSize(MAX_MESSAGE_BYTES)
          .pingInterval(PING_INTERVAL)
          .idleTimeout(IDLE_TIMEOUT)
          .onOpen(this::joined)
          .onText((session, text) -> members.broadcastText(event("message", name(session), text)))
          .onClose((session, status) -> members.broadcastText(event("left", name(session), null)))
          .build();

  /** Creates an empty room. */
  public ChatRoom() {}

  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    return endpoint.invoke(env);
  }

  private void joined(WebSocketSession session) {
    String name = cleanName(session.query(NAME));
    session.attributes().put(NAME, name);
    session.sendText(event("welcome", name, null));
    members.join(session);
    members.broadcastText(event("joined", name, null));
  }

  private static String name(WebSocketSession session) {
    return (String) session.attributes().getOrDefault(NAME, DEFAULT_NAME);
  }

  static String cleanName(@Nullable String requested) {
    if (requested == null) {
      return DEFAULT_NAME;
    }
    StringBuilder name = new StringBuilder();
    requested
        .strip()
        .codePoints()
        .filter(c -> !Character.isISOControl(c))
        .limit(MAX_NAME_LENGTH)
        .forEach(name::appendCodePoint);
    return name.toString().isBlank() ? DEFAULT_NAME : name.toString().strip();
  }

  private static String event(String type, String from, @Nullable String text) {
    StringBuilder json = new StringBuilder("{\"type\":");
    Json.appendString(json, type).append(",\"from\":");
    Json.appendString(json, from);
    if (text != null) {
      Json.appendString(json.append(",\"text\":"), text);
    }
    return json.append('}').toString();
  }
}
