package io.owin4j.testkit.contract;

import io.owin4j.testkit.TestServer;

/** The in-memory host passes the kit's {@link WebSocketContract}. */
class InMemoryWebSocketContractTest extends WebSocketContract {
  @Override
  protected TestServer.Builder host() {
    return TestServer.builder();
  }
}
