package io.owin4j.testkit;

/**
 * Why some both-host tests are skipped on Undertow for now: each reason names what owin-undertow
 * does not do yet. Remove the {@code @OnlyOn} that quotes one once the host does it.
 */
final class UndertowGaps {
  private UndertowGaps() {}

  /**
   * When Undertow flushes a response it adds Date, Connection and Transfer-Encoding to its header
   * map, which owin.ResponseHeaders shows; OwinLint then reports them as changed after the response
   * started.
   */
  static final String HEADERS_AFTER_FLUSH =
      "owin-undertow shows the Date, Connection and Transfer-Encoding headers Undertow adds on"
          + " flush in owin.ResponseHeaders, which OwinLint reports as changed after the start";
}
