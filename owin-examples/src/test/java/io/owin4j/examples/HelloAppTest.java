package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HelloAppTest {
  private final HelloApp app = new HelloApp();

  @Test
  void getAnswersTheGreetingAsPlainTextWithItsLength() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/hello");

    CompletableFuture<Void> stage = app.invoke(exchange.env).toCompletableFuture();

    assertEquals(true, stage.isDone());
    assertEquals(200, exchange.status());
    assertEquals("text/plain; charset=utf-8", exchange.responseHeader("Content-Type"));
    assertEquals("20", exchange.responseHeader("Content-Length"));
    assertEquals("Hello World via OWIN", exchange.bodyText());
  }

  @Test
  void headAnswersTheHeadersWithoutBody() throws Exception {
    TestExchange exchange = TestExchange.request("HEAD", "/hello");

    app.invoke(exchange.env);

    assertEquals(200, exchange.status());
    assertEquals("20", exchange.responseHeader("Content-Length"));
    assertEquals("", exchange.bodyText());
  }

  @Test
  void otherMethodsGet405WithAllow() throws Exception {
    TestExchange exchange = TestExchange.request("POST", "/hello");

    app.invoke(exchange.env);

    assertEquals(405, exchange.status());
    assertEquals("GET, HEAD", exchange.responseHeader("Allow"));
  }
}
