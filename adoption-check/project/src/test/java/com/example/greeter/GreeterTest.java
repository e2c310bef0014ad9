package com.example.greeter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.api.AppFunc;
import io.owin4j.testkit.HostMode;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import org.junit.jupiter.api.Test;

@OwinHostTest
class GreeterTest {
  @TestApplication
  static AppFunc app() {
    return Greeter.APP;
  }

  @Test
  void greetsOnEveryHost(TestClient client, HostMode mode) {
    assertEquals("Hello from /ada", client.get("/ada").send().bodyAsText());
  }
}
