package io.owin4j.testkit.internal;

import io.owin4j.testkit.HostMode;
import io.owin4j.testkit.OpaqueConnection;
import io.owin4j.testkit.TestResponse;
import io.owin4j.testkit.TestWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How requests reach a host: in memory, or over sockets. The client API builds requests and hands
 * them here; everything mode-specific lives behind this interface.
 */
public interface Transport {
  /** The host's mode. */
  HostMode mode();

  /** The root URI of the host. */
  URI baseUri();

  /**
   * A JDK client pointed at the host.
   *
   * @throws UnsupportedOperationException in memory
   */
  HttpClient httpClient();

  /**
   * Sends {@code request}; the future completes when the response started, fails with the
   * application's failure under exception propagation, and cancelling it cancels the request.
   */
  CompletableFuture<TestResponse> send(OutgoingRequest request);

  /**
   * Performs a WebSocket handshake offering {@code subprotocols}, waiting at most the request's
   * timeout.
   *
   * @throws io.owin4j.testkit.UpgradeDeniedException when the application answered otherwise
   */
  TestWebSocket connectWebSocket(OutgoingRequest request, List<String> subprotocols);

  /**
   * Asks for an opaque upgrade to {@code protocol}, waiting at most the request's timeout.
   *
   * @throws io.owin4j.testkit.UpgradeDeniedException when the application answered otherwise
   */
  OpaqueConnection upgrade(OutgoingRequest request, String protocol);
}
