package io.owin4j.testkit.internal;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request as a test built it, ready for a transport: the transports add the framing headers
 * ({@code Host}, {@code Content-Length}, {@code Transfer-Encoding}) themselves.
 *
 * @param method the HTTP method
 * @param target the encoded request target: path and optional query, starting with {@code /}
 * @param headers the headers in the order added, names as given
 * @param bodyBytes the body when the test gave bytes or text; null otherwise
 * @param bodyStream the body when the test gave a stream; null otherwise
 * @param timeout how long to wait for the response head, and for each body read
 */
public record OutgoingRequest(
    String method,
    String target,
    List<Map.Entry<String, String>> headers,
    byte @Nullable [] bodyBytes,
    @Nullable InputStream bodyStream,
    Duration timeout) {
  /** Copies the header list. */
  public OutgoingRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    headers = List.copyOf(headers);
    Objects.requireNonNull(timeout, "timeout");
  }

  /** The first value of header {@code name}, compared ignoring case, or null. */
  public @Nullable String header(String name) {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return header.getValue();
      }
    }
    return null;
  }

  /** The path part of the target, still encoded. */
  public String rawPath() {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  /** The query part of the target without {@code ?}, still encoded; empty when there is none. */
  public String rawQuery() {
    int query = target.indexOf('?');
    return query < 0 ? "" : target.substring(query + 1);
  }

  /** This request with {@code name: value} added to its headers. */
  public OutgoingRequest withHeader(String name, String value) {
    List<Map.Entry<String, String>> more = new java.util.ArrayList<>(headers);
    more.add(Map.entry(name, value));
    return new OutgoingRequest(method, target, more, bodyBytes, bodyStream, timeout);
  }

  /** Describes the request for messages, such as {@code GET /items?page=2}. */
  @Override
  public String toString() {
    return method + " " + target;
  }
}
