package io.owin4j.undertow.it;

import io.owin4j.testkit.HostMode;
import io.owin4j.testkit.TestServer;
import io.owin4j.testkit.contract.WebSocketContract;

/** The Undertow host passes the kit's {@link WebSocketContract}. */
class UndertowWebSocketContractTest extends WebSocketContract {
  @Override
  protected TestServer.Builder host() {
    return TestServer.builder().mode(HostMode.UNDERTOW);
  }
}
