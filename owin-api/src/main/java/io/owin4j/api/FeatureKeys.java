package io.owin4j.api;

/**
 * The Owin4J environment key that links the OWIN dictionary to the request's typed features.
 *
 * <p>It is not part of OWIN: a host written for OWIN alone does not set it. Read it with {@link
 * io.owin4j.api.features.FeatureCollection#fromEnvironment}, which answers null when it is absent.
 */
public final class FeatureKeys {
  private FeatureKeys() {}

  /**
   * {@link io.owin4j.api.features.FeatureCollection}: the typed features of this request, the same
   * instance for the whole request; optional.
   *
   * <p><b>Who sets it.</b> Every Owin4J host (the Undertow host, the in-memory test server, the
   * testkit's {@code TestEnvironment}) shows its feature collection under this key, because the
   * environment it hands to the application is owin-core's {@code OwinEnvironment}, which answers
   * the key with the collection it shows. In the other direction, owin-core's {@code
   * OwinFeatureCollection.of(env)} puts the features it makes over a plain map under this key, so
   * every later caller, in any number of round trips, gets the same collection; an {@code
   * AppBuilder} pipeline does so when it starts a request on a host that speaks only the
   * dictionary.
   *
   * <p><b>What a foreign host gives.</b> A host that knows only the OWIN dictionary gives nothing:
   * the key is absent (unless owin-core code in the pipeline put its features there). Portable middleware copes by falling back to the OWIN keys, which carry the
   * same request: {@code features != null ? typed path : dictionary path}. Middleware that may
   * depend on owin-core can call {@code OwinFeatureCollection.of(env)} instead, which makes typed
   * features over any OWIN map.
   *
   * <p>The value cannot be replaced in an Owin4J environment: putting another collection fails with
   * {@link IllegalArgumentException}; change the request's features through the collection itself.
   */
  public static final String FEATURES = "owin4j.Features";
}
