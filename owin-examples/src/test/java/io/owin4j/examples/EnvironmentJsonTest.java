package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.OwinKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketAccept;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EnvironmentJsonTest {
  @Test
  void rendersEachKindOfValueAsSpecified() {
    Map<String, Object> env = new LinkedHashMap<>();
    Map<String, String[]> headers = new LinkedHashMap<>();
    headers.put("Accept", new String[] {"text/plain", "*/*"});
    headers.put("X-Quote", new String[] {"say \"hi\""});
    env.put("z.Text", "line\nbreak");
    env.put("a.Number", 42);
    env.put("b.Flag", true);
    env.put("c.Headers", headers);
    env.put("d.Object", new ArrayList<String>());
    env.put("e.Null", null);

    String json = EnvironmentJson.toJson(env);

    assertEquals(
        "{\n"
            + "  \"a.Number\": \"42\",\n"
            + "  \"b.Flag\": \"true\",\n"
            + "  \"c.Headers\": {\"Accept\": [\"text/plain\", \"*/*\"], \"X-Quote\": [\"say"
            + " \\\"hi\\\"\"]},\n"
            + "  \"d.Object\": \"java.util.ArrayList\",\n"
            + "  \"e.Null\": null,\n"
            + "  \"z.Text\": \"line\\n"
            + "break\"\n"
            + "}\n",
        json);
  }

  @Test
  void lambdasAreNamedByTheirInterface() {
    WebSocketAccept accept = (parameters, callback) -> {};
    Map<String, Object> env = Map.of(WebSocketKeys.ACCEPT, accept);

    assertEquals(
        "{\n  \"websocket.Accept\": \"io.owin4j.api.ext.WebSocketAccept\"\n}\n",
        EnvironmentJson.toJson(env));
  }

  @Test
  void emptyHeaderMapIsAnEmptyObject() {
    assertEquals(
        "{\n  \"owin.ResponseHeaders\": {}\n}\n",
        EnvironmentJson.toJson(Map.of(OwinKeys.RESPONSE_HEADERS, new TreeMap<String, String[]>())));
  }

  @Test
  void getAnswersTheRequestEnvironmentWithTheQueryStringAsReceived() throws Exception {
    TestExchange exchange =
        TestExchange.request("GET", "/env").query("a=1&b=%20x").header("X-Demo", "one", "two");

    new EnvironmentJson().invoke(exchange.env);

    assertEquals(200, exchange.status());
    assertEquals("application/json", exchange.responseHeader("Content-Type"));
    String body = exchange.bodyText();
    assertEquals(
        Integer.toString(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
        exchange.responseHeader("Content-Length"));
    assertTrue(body.contains("\"owin.RequestQueryString\": \"a=1&b=%20x\""), body);
    assertTrue(body.contains("\"X-Demo\": [\"one\", \"two\"]"), body);
    assertTrue(body.contains("\"owin.RequestPath\": \"/env\""), body);
    assertTrue(
        body.contains(
            "\"owin.ResponseBody\": \"" + TestExchange.RecordingBody.class.getName() + "\""),
        body);
  }

  @Test
  void otherMethodsGet405() throws Exception {
    TestExchange exchange = TestExchange.request("DELETE", "/env");

    new EnvironmentJson().invoke(exchange.env);

    assertEquals(405, exchange.status());
  }
}
