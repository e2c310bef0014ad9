package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.ext.OpaqueUpgrade;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Upgrades a request with {@code Connection: Upgrade} and {@code Upgrade: echo} to a raw byte
 * stream and echoes every byte back until the client shuts its sending side down.
 *
 * <p>A request that does not ask for that upgrade, or arrives where the host offers no {@code
 * opaque.Upgrade} (such as HTTP/2), gets 426 with {@code Upgrade: echo} (400 on HTTP/2). The 101
 * response carries {@code Upgrade: echo} and {@code Connection: Upgrade}.
 *
 * <p>The echo copies through one buffer of 8 KiB, flushing whenever the input has nothing more
 * available, using the blocking streams of {@code opaque.Stream}: the host must call the upgrade
 * callback where blocking is allowed, as it does the application.
 */
public final class OpaqueEcho implements AppFunc {
  /** The upgrade protocol token the endpoint answers to. */
  public static final String PROTOCOL = "echo";

  /** Creates the endpoint; it holds no state. */
  public OpaqueEcho() {}

  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    OpaqueUpgrade upgrade = Env.optional(env, OpaqueKeys.UPGRADE, OpaqueUpgrade.class);
    if (upgrade == null
        || !Env.requestHeaderHasToken(env, "Connection", "upgrade")
        || !Env.requestHeaderHasToken(env, "Upgrade", PROTOCOL)) {
      return Env.upgradeRequired(env, PROTOCOL);
    }
    Env.setHeader(env, "Upgrade", PROTOCOL);
    Env.setHeader(env, "Connection", "Upgrade");
    upgrade.upgrade(null, OpaqueEcho::echo);
    return Env.done();
  }

  private static CompletionStage<Void> echo(Map<String, Object> opaque) throws Exception {
    OpaqueStream stream = Env.require(opaque, OpaqueKeys.STREAM, OpaqueStream.class);
    Env.copy(stream.input(), stream.output(), Long.MAX_VALUE);
    return Env.done();
  }
}
