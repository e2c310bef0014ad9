package io.owin4j.undertow.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event of one HTTP exchange, from its arrival to its end. */
@Name("io.owin4j.Exchange")
@Label("OWIN Exchange")
@Category({"Owin4J", "HTTP"})
@Description("One HTTP request and its response, from arrival to the end of the exchange")
@StackTrace(false)
final class ExchangeEvent extends jdk.jfr.Event {
  @Label("Method")
  String method;

  @Label("Path")
  String path;

  @Label("Status")
  int status;

  @Label("Bytes Sent")
  @DataAmount
  long bytesSent;

  @Label("Outcome")
  String outcome;
}
