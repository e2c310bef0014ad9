package io.owin4j.core;

import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The header-sending part of a host, for tests: {@code server.OnSendingHeaders} and a response body
 * whose first write sends the headers, running the callbacks last registered first.
 */
final class SendingHeaders implements OnSendingHeaders {
  private final List<Runnable> callbacks = new ArrayList<>();
  private boolean sent;

  /** Installs a new instance and its response body into {@code environment}. */
  static SendingHeaders installIn(Map<String, Object> environment) {
    SendingHeaders sending = new SendingHeaders();
    environment.put(ServerKeys.ON_SENDING_HEADERS, sending);
    environment.put(OwinKeys.RESPONSE_BODY, sending.new Body());
    return sending;
  }

  @Override
  public void register(Consumer<Object> callback, Object state) {
    if (sent) {
      throw new IllegalStateException("headers already sent");
    }
    callbacks.add(() -> callback.accept(state));
  }

  /** Sends the headers, once. */
  void send() {
    if (!sent) {
      sent = true;
      for (int i = callbacks.size() - 1; i >= 0; i--) {
        callbacks.get(i).run();
      }
    }
  }

  boolean sent() {
    return sent;
  }

  /** A response body that sends the headers on its first write. */
  final class Body extends ByteArrayOutputStream {
    @Override
    public synchronized void write(int b) {
      send();
      super.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      send();
      super.write(b, off, len);
    }
  }
}
