package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.undertow.OwinServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's listener bridge counts what a real server did. */
@Timeout(30)
class ReadmeOperationsTest {
  @Test
  void requestCounterCountsEachExchangeByMethodAndStatus() throws Exception {
    ReadmeOperationsExample.RequestCounter counter = new ReadmeOperationsExample.RequestCounter();
    try (OwinServer server = ReadmeOperationsExample.withCounter(ReadmeExample.HELLO, counter)) {
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 3; i++) {
        client.send(
            HttpRequest.newBuilder(server.uri()).build(), HttpResponse.BodyHandlers.discarding());
      }
      // The listener hears of an exchange as it ends, which may be just after the client read it.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (count(counter) < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(3, count(counter));
    }
  }

  private static long count(ReadmeOperationsExample.RequestCounter counter) {
    var adder = counter.counts.get("GET 200");
    return adder == null ? 0 : adder.sum();
  }
}
