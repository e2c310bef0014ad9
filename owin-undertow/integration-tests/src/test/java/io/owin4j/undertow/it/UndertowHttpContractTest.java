package io.owin4j.undertow.it;

import io.owin4j.testkit.HostMode;
import io.owin4j.testkit.TestServer;
import io.owin4j.testkit.contract.HttpContract;

/** The Undertow host passes the kit's {@link HttpContract}. */
class UndertowHttpContractTest extends HttpContract {
  @Override
  protected TestServer.Builder host() {
    return TestServer.builder().mode(HostMode.UNDERTOW);
  }
}
