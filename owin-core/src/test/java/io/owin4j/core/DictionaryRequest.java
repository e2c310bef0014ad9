package io.owin4j.core;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A request as a host that knows nothing of typed features builds it: a {@code HashMap} with its
 * own header maps, an on-sending-headers list, and a body that sends the headers on first write.
 */
final class DictionaryRequest {
  final Map<String, Object> env = new HashMap<>();
  final Map<String, String[]> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  final Map<String, String[]> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  final Principal alice = () -> "alice";
  private final List<Runnable> onSendingHeaders = new ArrayList<>();
  private boolean headersSent;
  int statusSent;

  final OnSendingHeaders register =
      (Consumer<Object> callback, Object state) -> {
        if (headersSent) {
          throw new IllegalStateException("headers already sent");
        }
        onSendingHeaders.add(() -> callback.accept(state));
      };

  final OutputStream body =
      new OutputStream() {
        @Override
        public void write(int b) {
          sendHeaders();
          sent.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          sendHeaders();
          sent.write(b, off, len);
        }

        @Override
        public void flush() {
          sendHeaders();
        }
      };

  DictionaryRequest() {
    requestHeaders.put("Host", new String[] {"example.com"});
    requestHeaders.put("X-Name", new String[] {"World"});
    env.put(OwinKeys.REQUEST_METHOD, "POST");
    env.put(OwinKeys.REQUEST_SCHEME, "https");
    env.put(OwinKeys.REQUEST_PATH_BASE, "/app");
    env.put(OwinKeys.REQUEST_PATH, "/items");
    env.put(OwinKeys.REQUEST_QUERY_STRING, "a=1&b=two");
    env.put(OwinKeys.REQUEST_PROTOCOL, "HTTP/1.1");
    env.put(OwinKeys.REQUEST_HEADERS, requestHeaders);
    env.put(OwinKeys.REQUEST_BODY, new ByteArrayInputStream("ping".getBytes(StandardCharsets.UTF_8)));
    env.put(OwinKeys.REQUEST_ID, "req-1");
    env.put(OwinKeys.REQUEST_USER, alice);
    env.put(OwinKeys.RESPONSE_HEADERS, responseHeaders);
    env.put(OwinKeys.RESPONSE_BODY, body);
    env.put(OwinKeys.CALL_CANCELLED, CancellationToken.NONE);
    env.put(OwinKeys.VERSION, OwinKeys.VERSION_VALUE);
    env.put(ServerKeys.REMOTE_IP_ADDRESS, "10.0.0.1");
    env.put(ServerKeys.REMOTE_PORT, "50000");
    env.put(ServerKeys.LOCAL_IP_ADDRESS, "10.0.0.2");
    env.put(ServerKeys.LOCAL_PORT, "8080");
    env.put(ServerKeys.IS_LOCAL, true);
    env.put(ServerKeys.CONNECTION_ID, "c1");
    env.put(ServerKeys.ON_SENDING_HEADERS, register);
  }

  /** Runs the callbacks last registered first, then fixes the status, as an OWIN host does. */
  void sendHeaders() {
    if (headersSent) {
      return;
    }
    for (int i = onSendingHeaders.size() - 1; i >= 0; i--) {
      onSendingHeaders.get(i).run();
    }
    headersSent = true;
    Object status = env.get(OwinKeys.RESPONSE_STATUS_CODE);
    statusSent = status == null ? 200 : (Integer) status;
  }

  String sentText() throws IOException {
    return sent.toString(StandardCharsets.UTF_8);
  }
}
