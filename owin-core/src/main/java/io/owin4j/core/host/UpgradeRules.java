package io.owin4j.core.host;

/**
 * When an application may upgrade a request's connection to an opaque stream ({@code
 * opaque.Upgrade}), checked the same way on every host.
 *
 * <p>Stateless and thread-safe.
 */
public final class UpgradeRules {
  private UpgradeRules() {}

  /**
   * Checks an application's call of {@code OpaqueUpgradeFeature.upgrade}: once only, and before the
   * response started (the 101 is the response).
   *
   * @param upgradedBefore whether the application upgraded this request already
   * @param responseStarted whether the response started (a body write or flush sends its head)
   * @throws IllegalStateException if either is true, naming which
   */
  public static void checkOpaqueUpgrade(boolean upgradedBefore, boolean responseStarted) {
    if (upgradedBefore) {
      throw new IllegalStateException("OpaqueUpgradeFeature.upgrade must be called at most once");
    }
    if (responseStarted) {
      throw new IllegalStateException(
          "OpaqueUpgradeFeature.upgrade must be called before the response starts, and it has"
              + " started");
    }
  }
}
