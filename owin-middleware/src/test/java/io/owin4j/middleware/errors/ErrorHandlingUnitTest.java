package io.owin4j.middleware.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.OwinKeys;
import io.owin4j.testkit.TestEnvironment;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What no host produces: an environment without a request id. */
class ErrorHandlingUnitTest {
  @Test
  void requestWithoutIdIsLoggedWithAGeneratedOne() throws Exception {
    TestEnvironment exchange = TestEnvironment.get("/boom").build();
    Map<String, Object> withoutId = new HashMap<>(exchange.environment());
    withoutId.remove(OwinKeys.REQUEST_ID);

    try (LogCapture log = new LogCapture(ErrorHandling.class.getName())) {
      ErrorHandling.create()
          .apply(
              env -> {
                throw new IllegalStateException("boom");
              })
          .invoke(withoutId)
          .toCompletableFuture()
          .get();

      assertEquals(1, log.records.size());
      assertTrue(
          log.records.get(0).getMessage().contains("(generated, the host gave no owin.RequestId)"),
          log.records.get(0).getMessage());
    }
    assertEquals(500, withoutId.get(OwinKeys.RESPONSE_STATUS_CODE));
  }
}
