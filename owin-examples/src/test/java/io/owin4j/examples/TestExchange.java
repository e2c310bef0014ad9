package io.owin4j.examples;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A hand-built, valid OWIN request environment with a recording response: what a host would pass,
 * minus the network. The response body runs the {@code server.OnSendingHeaders} callbacks (last
 * registered first) on its first write or flush, as a host does.
 */
final class TestExchange {
  final Map<String, Object> env = new HashMap<>();
  final Map<String, String[]> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  final Map<String, String[]> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  final RecordingBody body = new RecordingBody();
  final TestToken cancelled = new TestToken();
  private final List<Consumer<Object>> onSendingHeaders = new ArrayList<>();
  private final List<Object> onSendingHeadersState = new ArrayList<>();
  private boolean started;

  private TestExchange(String method, String path) {
    env.put(OwinKeys.REQUEST_METHOD, method);
    env.put(OwinKeys.REQUEST_PATH, path);
    env.put(OwinKeys.REQUEST_PATH_BASE, "");
    env.put(OwinKeys.REQUEST_QUERY_STRING, "");
    env.put(OwinKeys.REQUEST_PROTOCOL, "HTTP/1.1");
    env.put(OwinKeys.REQUEST_SCHEME, "http");
    env.put(OwinKeys.REQUEST_HEADERS, requestHeaders);
    env.put(OwinKeys.REQUEST_BODY, new ByteArrayInputStream(new byte[0]));
    env.put(OwinKeys.RESPONSE_HEADERS, responseHeaders);
    env.put(OwinKeys.RESPONSE_BODY, body);
    env.put(OwinKeys.CALL_CANCELLED, cancelled);
    env.put(OwinKeys.VERSION, OwinKeys.VERSION_VALUE);
    env.put(ServerKeys.ON_SENDING_HEADERS, (OnSendingHeaders) this::register);
    requestHeaders.put("Host", new String[] {"localhost"});
  }

  static TestExchange request(String method, String path) {
    return new TestExchange(method, path);
  }

  TestExchange query(String query) {
    env.put(OwinKeys.REQUEST_QUERY_STRING, query);
    return this;
  }

  TestExchange header(String name, String... values) {
    requestHeaders.put(name, values);
    return this;
  }

  TestExchange requestBody(byte[] bytes) {
    env.put(OwinKeys.REQUEST_BODY, new ByteArrayInputStream(bytes));
    return this;
  }

  TestExchange with(String key, Object value) {
    env.put(key, value);
    return this;
  }

  int status() {
    return (Integer) env.getOrDefault(OwinKeys.RESPONSE_STATUS_CODE, 200);
  }

  /** The single value of a response header, or null; fails if the header has several values. */
  @Nullable String responseHeader(String name) {
    String[] values = responseHeaders.get(name);
    if (values == null) {
      return null;
    }
    if (values.length != 1) {
      throw new AssertionError(name + " has " + values.length + " values");
    }
    return values[0];
  }

  String bodyText() {
    return body.toString(StandardCharsets.UTF_8);
  }

  synchronized boolean started() {
    return started;
  }

  private synchronized void register(Consumer<Object> callback, Object state) {
    if (started) {
      throw new IllegalStateException("server.OnSendingHeaders: the headers were already sent");
    }
    onSendingHeaders.add(callback);
    onSendingHeadersState.add(state);
  }

  private synchronized void start() {
    if (!started) {
      started = true;
      for (int i = onSendingHeaders.size() - 1; i >= 0; i--) {
        onSendingHeaders.get(i).accept(onSendingHeadersState.get(i));
      }
    }
  }

  /** The response body: records bytes, the size of each write, and flushes. */
  final class RecordingBody extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int largestWrite;
    private int flushes;

    @Override
    public synchronized void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      start();
      bytes.write(b, off, len);
      largestWrite = Math.max(largestWrite, len);
    }

    @Override
    public synchronized void flush() {
      start();
      flushes++;
    }

    synchronized byte[] toByteArray() {
      return bytes.toByteArray();
    }

    synchronized String toString(Charset charset) {
      return bytes.toString(charset);
    }

    synchronized int largestWrite() {
      return largestWrite;
    }

    synchronized int flushes() {
      return flushes;
    }
  }

  /** A cancellation token the test fires. */
  static final class TestToken implements CancellationToken {
    private final List<Runnable> callbacks = new ArrayList<>();
    private boolean cancelled;

    void cancel() {
      List<Runnable> toRun;
      synchronized (this) {
        if (cancelled) {
          return;
        }
        cancelled = true;
        toRun = new ArrayList<>(callbacks);
        callbacks.clear();
      }
      toRun.forEach(Runnable::run);
    }

    @Override
    public synchronized boolean isCancellationRequested() {
      return cancelled;
    }

    @Override
    public boolean canBeCancelled() {
      return true;
    }

    @Override
    public Registration register(Runnable callback) {
      synchronized (this) {
        if (!cancelled) {
          callbacks.add(callback);
          return () -> {
            synchronized (this) {
              callbacks.remove(callback);
            }
          };
        }
      }
      callback.run();
      return Registration.EMPTY;
    }
  }
}
