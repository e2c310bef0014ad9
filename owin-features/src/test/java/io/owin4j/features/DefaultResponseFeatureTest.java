package io.owin4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultResponseFeatureTest {
  private final ResponseStarter starter = new ResponseStarter();
  private final DefaultResponseFeature response = new DefaultResponseFeature(starter);

  @Test
  void defaultsTo200WithoutReasonOrProtocol() {
    assertEquals(200, response.statusCode());
    assertNull(response.reasonPhrase());
    assertNull(response.protocol());
    assertTrue(response.headers().isEmpty());
    assertTrue(response.headers() instanceof HeaderDictionary);
  }

  @Test
  void setsStatusReasonAndProtocol() {
    response.setStatusCode(404);
    response.setReasonPhrase("Not Here");
    response.setProtocol("HTTP/1.0");

    assertEquals(404, response.statusCode());
    assertEquals("Not Here", response.reasonPhrase());
    assertEquals("HTTP/1.0", response.protocol());
  }

  @Test
  void rejectsStatusOutOfRange() {
    IllegalArgumentException low =
        assertThrows(IllegalArgumentException.class, () -> response.setStatusCode(99));
    assertThrows(IllegalArgumentException.class, () -> response.setStatusCode(1000));

    assertEquals("status code must be in [100, 999], got 99", low.getMessage());
  }

  @Test
  void acceptsStatusBounds() {
    response.setStatusCode(100);
    response.setStatusCode(999);

    assertEquals(999, response.statusCode());
  }

  @Test
  void hasStartedFollowsTheStarter() {
    boolean before = response.hasStarted();

    starter.start();

    assertFalse(before);
    assertTrue(response.hasStarted());
  }

  @Test
  void settingStatusAfterStartFails() {
    starter.start();

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> response.setStatusCode(500));

    assertEquals("cannot set status code: the response has started", e.getMessage());
    assertEquals(200, response.statusCode());
  }

  @Test
  void settingReasonProtocolOrHeadersAfterStartFails() {
    starter.start();

    assertThrows(IllegalStateException.class, () -> response.setReasonPhrase("x"));
    assertThrows(IllegalStateException.class, () -> response.setProtocol("HTTP/1.0"));
    assertThrows(IllegalStateException.class, () -> response.setHeaders(new HeaderDictionary()));
  }

  @Test
  void headersAreFrozenWhenTheResponseStarts() {
    response.headers().put("X-Early", new String[] {"1"});
    starter.start();

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> response.headers().put("X-Late", new String[] {"1"}));

    assertEquals("cannot set header X-Late: the response has started", e.getMessage());
  }

  @Test
  void onStartingCallbacksMayStillChangeStatusAndHeaders() {
    response.onStarting(
        () -> {
          response.setStatusCode(201);
          response.headers().put("X-Late", new String[] {"yes"});
        });

    starter.start();

    assertEquals(201, response.statusCode());
    assertEquals("yes", ((HeaderDictionary) response.headers()).first("X-Late"));
  }

  @Test
  void replacedHeaderMapIsUsedAndLeftAsIsAtStart() {
    Map<String, String[]> custom = new HashMap<>();
    response.setHeaders(custom);
    starter.start();

    custom.put("X-After", new String[] {"1"});

    assertSame(custom, response.headers());
  }

  @Test
  void onStartingAndOnCompletedGoToTheStarter() {
    List<String> calls = new ArrayList<>();
    response.onStarting(() -> calls.add("starting"));
    response.onCompleted(() -> calls.add("completed"));

    starter.start();
    starter.complete();

    assertEquals(List.of("starting", "completed"), calls);
  }

  @Test
  void refusesAStarterThatHasStarted() {
    starter.start();

    assertThrows(IllegalStateException.class, () -> new DefaultResponseFeature(starter));
  }
}
