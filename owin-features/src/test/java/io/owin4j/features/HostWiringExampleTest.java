package io.owin4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.ResponseFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a host wires one request from the building blocks of this package; the package
 * documentation points here. The "wire" is a byte array standing in for the connection.
 */
class HostWiringExampleTest {

  /** One request of a toy host. */
  static final class Exchange {
    final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    final ResponseStarter starter = new ResponseStarter();
    final DefaultResponseFeature response = new DefaultResponseFeature(starter);
    final CancellationTokenSource aborted = new CancellationTokenSource();
    final DefaultFeatureCollection features = new DefaultFeatureCollection();

    Exchange() {
      // Registered after the response feature's own action, so the headers are frozen first.
      starter.onStarted(this::sendHead);
      features.set(RequestFeature.class, new DefaultRequestFeature());
      features.set(ResponseFeature.class, response);
      features.set(
          ResponseBodyFeature.class,
          new DefaultResponseBodyFeature(new ResponseBodyStream(wire, starter), starter));
      features.set(RequestLifetimeFeature.class, new DefaultRequestLifetimeFeature(aborted));
    }

    /** What the host does when the application's stage completed, normally or not. */
    void finish(Throwable failure) {
      if (failure != null && !starter.hasStarted()) {
        response.headers().clear();
        response.setStatusCode(500);
      }
      starter.start();
      starter.complete();
    }

    private void sendHead() {
      StringBuilder head = new StringBuilder("HTTP/1.1 " + response.statusCode() + "\r\n");
      for (Map.Entry<String, String[]> header : response.headers().entrySet()) {
        for (String value : header.getValue()) {
          head.append(header.getKey()).append(": ").append(value).append("\r\n");
        }
      }
      try {
        wire.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String wireText() {
      return wire.toString(StandardCharsets.US_ASCII);
    }
  }

  @Test
  void headersGoOutBeforeTheFirstBodyByte() throws IOException {
    Exchange exchange = new Exchange();
    FeatureCollection features = exchange.features;
    ResponseFeature response = features.require(ResponseFeature.class);

    response.headers().put("Content-Type", new String[] {"text/plain"});
    response.onStarting(() -> response.headers().put("X-Late", new String[] {"yes"}));
    OutputStream body = features.require(ResponseBodyFeature.class).stream();
    body.write("hi".getBytes(StandardCharsets.US_ASCII));
    exchange.finish(null);

    assertEquals(
        "HTTP/1.1 200\r\nContent-Type: text/plain\r\nX-Late: yes\r\n\r\nhi", exchange.wireText());
  }

  @Test
  void applicationThatWritesNothingStillGetsItsHeadersSent() {
    Exchange exchange = new Exchange();

    exchange.response.setStatusCode(204);
    exchange.finish(null);

    assertEquals("HTTP/1.1 204\r\n\r\n", exchange.wireText());
  }

  @Test
  void failingOnStartingCallbackLeavesRoomForA500() {
    Exchange exchange = new Exchange();
    ResponseFeature response = exchange.features.require(ResponseFeature.class);
    response.headers().put("X-Secret", new String[] {"1"});
    response.onStarting(
        () -> {
          throw new IllegalStateException("bug in a callback");
        });
    OutputStream body = exchange.features.require(ResponseBodyFeature.class).stream();

    IllegalStateException failure =
        assertThrows(IllegalStateException.class, () -> body.write('x'));
    exchange.finish(failure);

    assertEquals("HTTP/1.1 500\r\n\r\n", exchange.wireText());
  }

  @Test
  void writesAfterTheExchangeEndedFail() {
    Exchange exchange = new Exchange();
    OutputStream body = exchange.features.require(ResponseBodyFeature.class).stream();

    exchange.finish(null);

    assertThrows(IOException.class, () -> body.write('x'));
  }
}
