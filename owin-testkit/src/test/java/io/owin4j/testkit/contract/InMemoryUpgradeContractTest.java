package io.owin4j.testkit.contract;

import io.owin4j.testkit.TestServer;

/** The in-memory host passes the kit's {@link UpgradeContract}. */
class InMemoryUpgradeContractTest extends UpgradeContract {
  @Override
  protected TestServer.Builder host() {
    return TestServer.builder();
  }
}
