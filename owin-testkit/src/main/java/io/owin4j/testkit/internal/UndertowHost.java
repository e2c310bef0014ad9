package io.owin4j.testkit.internal;

/** Placeholder until owin-undertow's server is on main. */
public final class UndertowHost {
  public UndertowHost(HostSettings settings) {
    throw new UnsupportedOperationException("owin-undertow's server is not available yet");
  }
}
