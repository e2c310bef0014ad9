package io.owin4j.testkit;

/** Where a {@link TestServer} runs the application. */
public enum HostMode {
  /** In this JVM without sockets: requests go through bounded in-memory pipes. */
  IN_MEMORY("in-memory"),
  /**
   * On a real owin-undertow server on {@code 127.0.0.1} and an ephemeral port, reached with the JDK
   * {@code HttpClient}, the JDK WebSocket client and raw sockets.
   */
  UNDERTOW("undertow"),
  /**
   * On a host the test starts with a {@link HostLauncher}, reached over sockets the way {@link
   * #UNDERTOW} is.
   */
  LAUNCHED("launched");

  private final String displayName;

  HostMode(String displayName) {
    this.displayName = displayName;
  }

  /** The short name shown in test names, such as {@code in-memory}. */
  public String displayName() {
    return displayName;
  }
}
