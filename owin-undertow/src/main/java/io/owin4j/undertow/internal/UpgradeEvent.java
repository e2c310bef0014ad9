package io.owin4j.undertow.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event of one WebSocket session or opaque-upgraded connection. */
@Name("io.owin4j.WebSocketSession")
@Label("OWIN WebSocket Session")
@Category({"Owin4J", "HTTP"})
@Description("A WebSocket session (or opaque upgrade), from the request's arrival to its end")
@StackTrace(false)
final class UpgradeEvent extends jdk.jfr.Event {
  @Label("Path")
  String path;

  @Label("Protocol")
  String protocol;

  @Label("Failed")
  boolean failed;
}
