package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request framing that a proxy may read differently (RFC 9112, sections 6.1 and 6.3) is refused
 * before the application runs, and the connection closes, so nothing pipelined after it is served.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestChecksTest {
  private final AtomicInteger served = new AtomicInteger();

  private final AppFunc app =
      env -> {
        served.incrementAndGet();
        ((InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes();
        write(env, "served " + env.get(OwinKeys.REQUEST_PATH));
        return Servers.done();
      };

  @ParameterizedTest(name = "Transfer-Encoding: {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {"xchunked|400", "'chunked, identity'|400", "'gzip, chunked'|501", "identity|400"})
  void anUnknownOrMisplacedTransferCodingIsRefusedAndTheConnectionCloses(
      String codings, int status) throws Exception {
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      client.send(
          "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
              + codings
              + "\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
              + "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n");

      assertEquals(status, client.read().status());
      assertTrue(client.closedByServer());
      assertEquals(0, served.get());
    }
  }

  @Test
  void chunkedStillWorks() throws Exception {
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      RawClient.Response response =
          client
              .send(
                  "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                      + "3\r\nabc\r\n0\r\n\r\n")
              .read();

      assertEquals(200, response.status());
      assertEquals("served /a", response.bodyText());
    }
  }

  @ParameterizedTest(name = "Content-Length: {0}")
  @CsvSource(
      delimiter = '|',
      value = {"18446744073709551619", "9223372036854775808", "-1", "1x", "'3, 4'"})
  void aContentLengthThatIsNoValidLengthGets400(String length) throws Exception {
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      client.send("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: " + length + "\r\n\r\nabc");

      RawClient.Response response = client.read();
      assertEquals(400, response.status());
      assertEquals(0, served.get());
      assertFalse(response.statusLine().isEmpty());
    }
  }
}
