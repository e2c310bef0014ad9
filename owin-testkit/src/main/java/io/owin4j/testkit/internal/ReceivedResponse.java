package io.owin4j.testkit.internal;

import io.owin4j.core.host.HttpSyntax;
import io.owin4j.testkit.TestResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The {@link TestResponse} of every mode: a head, and a body stream that the mode feeds. */
public final class ReceivedResponse implements TestResponse {
  private final int status;
  private final @Nullable String reason;
  private final String protocol;
  private final Map<String, List<String>> headers;
  private final InputStream body;
  private final Object lock = new Object();
  private boolean taken;
  private byte @Nullable [] whole;

  /**
   * Creates a response.
   *
   * @param headers the headers; copied into a map whose names compare ignoring case
   * @param body the body as it arrives; closing it before its end cancels the request
   */
  public ReceivedResponse(
      int status,
      @Nullable String reason,
      String protocol,
      Map<String, List<String>> headers,
      InputStream body) {
    this.status = status;
    this.reason = reason;
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (name, values) -> copy.merge(name, List.copyOf(values), ReceivedResponse::concat));
    this.headers = Collections.unmodifiableMap(copy);
    this.body = Objects.requireNonNull(body, "body");
  }

  private static List<String> concat(List<String> first, List<String> second) {
    java.util.ArrayList<String> all = new java.util.ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public @Nullable String reason() {
    return reason;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public Map<String, List<String>> headers() {
    return headers;
  }

  @Override
  public @Nullable String header(String name) {
    Objects.requireNonNull(name, "name");
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public byte[] bodyAsBytes() {
    synchronized (lock) {
      if (whole == null) {
        if (taken) {
          throw new IllegalStateException(
              "the body was taken with bodyStream(); read it from that stream");
        }
        taken = true;
        try (InputStream in = body) {
          whole = in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException("reading the body of a " + status + " response failed", e);
        }
      }
      return whole.clone();
    }
  }

  @Override
  public String bodyAsText() {
    return new String(bodyAsBytes(), HttpSyntax.charsetOf(header("Content-Type")));
  }

  @Override
  public InputStream bodyStream() {
    synchronized (lock) {
      if (taken) {
        throw new IllegalStateException("the body was already taken; it can be taken once");
      }
      taken = true;
      return body;
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the body of a " + status + " response failed", e);
    }
  }

  @Override
  public String toString() {
    return protocol + " " + status + (reason == null ? "" : " " + reason) + " " + headers;
  }
}
