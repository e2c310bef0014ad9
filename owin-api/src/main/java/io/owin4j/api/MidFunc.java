package io.owin4j.api;

/**
 * OWIN middleware: wraps the next application in the pipeline and returns a new application.
 *
 * <p>{@code apply} runs once, when the pipeline is built, not per request. The returned
 * application decides per request whether, when and with which environment to call {@code next}.
 *
 * <pre>{@code
 * MidFunc poweredBy = next -> env -> {
 *   ((Map<String, String[]>) env.get(OwinKeys.RESPONSE_HEADERS))
 *       .put("X-Powered-By", new String[] {"Owin4J"});
 *   return next.invoke(env);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface MidFunc {
  /**
   * Wraps {@code next}.
   *
   * @param next the rest of the pipeline; never null
   * @return the application that runs this middleware and, when it chooses, {@code next}
   */
  AppFunc apply(AppFunc next);
}
