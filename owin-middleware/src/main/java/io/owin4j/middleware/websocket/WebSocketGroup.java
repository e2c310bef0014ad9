package io.owin4j.middleware.websocket;

import io.owin4j.api.ext.WebSocketMessageTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions to broadcast to, such as the members of a chat room.
 *
 * <p>A session {@linkplain #join joins} explicitly and leaves by {@link #leave} or, on its own,
 * when it ends: a group never holds a closed session for long, and a broadcast skips members that
 * are closing. A broadcast queues the message on every open member through its send queue, so it
 * never blocks and a slow member never holds back the others: one whose queue is full is closed
 * with 1008 (see {@link WebSocketSession}) and leaves the group, while the rest get the message.
 *
 * <p>Thread-safe: sessions may join, leave and broadcast from any thread at any time. A broadcast
 * reaches every member that was in the group for its whole run; one that joins or leaves meanwhile
 * may or may not get it.
 */
public final class WebSocketGroup {
  private final Set<MessageSession> members = ConcurrentHashMap.newKeySet();

  /** Creates an empty group. */
  public WebSocketGroup() {}

  /**
   * Adds {@code session}; it leaves on its own when it ends. Joining twice does nothing.
   *
   * @return true if the session joined, false if it was a member already or is no longer open
   * @throws IllegalArgumentException if the session was not made by a {@link WebSocketEndpoint}
   */
  public boolean join(WebSocketSession session) {
    MessageSession member = ours(session);
    if (!members.add(member)) {
      return false;
    }
    member.onEnd(() -> members.remove(member));
    if (!member.isOpen()) {
      members.remove(member);
      return false;
    }
    return true;
  }

  /**
   * Removes {@code session}.
   *
   * @return true if it was a member
   */
  public boolean leave(WebSocketSession session) {
    Objects.requireNonNull(session, "session");
    return members.remove(session);
  }

  /**
   * Queues {@code text} on every open member; the text is encoded once.
   *
   * @return how many members the message was queued on
   */
  public int broadcastText(String text) {
    Objects.requireNonNull(text, "text");
    return broadcast(WebSocketMessageTypes.TEXT, StandardCharsets.UTF_8.encode(text));
  }

  /**
   * Queues a copy of the buffer's remaining bytes as a binary message on every open member.
   *
   * @return how many members the message was queued on
   */
  public int broadcastBinary(ByteBuffer data) {
    Objects.requireNonNull(data, "data");
    ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
    return broadcast(WebSocketMessageTypes.BINARY, copy);
  }

  private int broadcast(int messageType, ByteBuffer payload) {
    ByteBuffer shared = payload;
    int queued = 0;
    for (MessageSession member : members) {
      if (member.isOpen() && member.enqueue(messageType, shared.duplicate())) {
        queued++;
      }
    }
    return queued;
  }

  /** The members now: a snapshot. */
  public List<WebSocketSession> members() {
    return List.copyOf(members);
  }

  /** How many members the group has now. */
  public int size() {
    return members.size();
  }

  private static MessageSession ours(WebSocketSession session) {
    Objects.requireNonNull(session, "session");
    if (!(session instanceof MessageSession member)) {
      throw new IllegalArgumentException(
          "session must come from a WebSocketEndpoint, got " + session.getClass().getName());
    }
    return member;
  }
}
