package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexPageTest {
  @Test
  void getAnswersTheHtmlPage() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/");

    new IndexPage().invoke(exchange.env);

    assertEquals(200, exchange.status());
    assertEquals("text/html; charset=utf-8", exchange.responseHeader("Content-Type"));
    assertEquals(
        Integer.toString(exchange.body.toByteArray().length),
        exchange.responseHeader("Content-Length"));
    assertTrue(exchange.bodyText().startsWith("<!DOCTYPE html>"));
  }

  @Test
  void pageHasTheConsoleControlsByStableIds() throws Exception {
    String page = page();

    for (String id : List.of("connect", "message", "send", "log", "status")) {
      assertTrue(page.contains("id=\"" + id + "\""), id);
    }
    assertTrue(page.contains("'echo.v1'"));
    assertTrue(page.contains("'/ws/echo'"));
  }

  @Test
  void pageLinksTheOtherRoutes() throws Exception {
    String page = page();

    for (String href :
        List.of("/hello", "/env", "/stream?n=5&amp;delayMs=200", "/files/hello.txt", "/boom")) {
      assertTrue(page.contains("href=\"" + href + "\""), href);
    }
  }

  @Test
  void pageLoadsNothingFromElsewhere() throws Exception {
    String page = page();

    assertFalse(page.contains("<script src"));
    assertFalse(page.contains("<link"));
    assertFalse(page.contains("@import"));
    assertFalse(page.contains("url("));
  }

  private static String page() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/");
    new IndexPage().invoke(exchange.env);
    return new String(exchange.body.toByteArray(), StandardCharsets.UTF_8);
  }
}
