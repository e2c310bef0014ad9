package io.owin4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.owin4j.api.AppFunc;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What {@link OwinHostTest} does with a test class: runs fixture classes (nested here, so the build
 * does not run them on their own) through the JUnit launcher and checks the outcome.
 */
@Timeout(60)
class OwinHostExtensionTest {
  /**
   * What the launcher reported, each test named by its parent's display name and its own, such as
   * {@code in-memory > first()}.
   */
  private static final class Outcome implements TestExecutionListener {
    final List<String> passed = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Throwable> failed = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, String> skipped = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> displayNames = new ConcurrentHashMap<>();

    @Override
    public void dynamicTestRegistered(TestIdentifier identifier) {
      displayNames.put(identifier.getUniqueId(), identifier.getDisplayName());
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
      displayNames.put(identifier.getUniqueId(), identifier.getDisplayName());
    }

    private String name(TestIdentifier identifier) {
      String parent = identifier.getParentId().map(displayNames::get).orElse("?");
      return parent + " > " + identifier.getDisplayName();
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
      skipped.put(name(identifier), reason);
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
      if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
        if (identifier.isTest()) {
          passed.add(name(identifier));
        }
      } else {
        failed.put(name(identifier), result.getThrowable().orElseThrow());
      }
    }

    List<String> passedSorted() {
      return passed.stream().sorted().collect(Collectors.toList());
    }

    Throwable onlyFailure() {
      assertEquals(1, failed.size(), () -> "failures: " + failed);
      return failed.values().iterator().next();
    }
  }

  private static Outcome run(Class<?> fixture) {
    Outcome outcome = new Outcome();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(),
            outcome);
    return outcome;
  }

  // ---- fixtures ----

  @OwinHostTest(modes = HostMode.IN_MEMORY)
  static class Injection {
    static final List<String> SEEN = Collections.synchronizedList(new ArrayList<>());

    @FromHost TestClient client;
    @FromHost HostMode mode;
    @FromHost TestServer server;

    @TestApplication
    static AppFunc app() {
      return env -> OwinContext.of(env).writeTextAsync("hi");
    }

    @Test
    void fieldsAndParameters(TestClient parameter, HostMode modeParameter) {
      SEEN.add(mode + " " + modeParameter + " " + (client == parameter) + " " + (server == client));
      assertEquals("hi", client.get("/").send().bodyAsText());
    }
  }

  @Test
  void injectsTheClientAndTheModeIntoFieldsAndParameters() {
    Injection.SEEN.clear();
    Outcome outcome = run(Injection.class);
    assertEquals(Map.of(), outcome.failed);
    assertEquals(List.of("IN_MEMORY IN_MEMORY true true"), Injection.SEEN);
  }

  @OwinHostTest
  static class DisplayNames {
    @TestApplication
    static AppFunc app() {
      return env -> CompletableFuture.completedFuture(null);
    }

    @Test
    void first() {}

    @Test
    void second() {}
  }

  @Test
  void everyTestRunsUnderTheModeInItsDisplayName() {
    Outcome outcome = run(DisplayNames.class);
    assertEquals(
        List.of(
            "in-memory > first()",
            "in-memory > second()",
            "undertow > first()",
            "undertow > second()"),
        outcome.passedSorted());
  }

  @OwinHostTest(modes = HostMode.IN_MEMORY)
  static class Configured {
    static final List<Object> SEEN = Collections.synchronizedList(new ArrayList<>());

    @TestApplication
    static Consumer<AppBuilder> app() {
      return app -> {
        SEEN.add(app.properties().get("host.OnAppDisposing") != null);
        app.run(env -> OwinContext.of(env).writeTextAsync("configured"));
      };
    }

    @Test
    void usesTheConfiguredPipeline(TestClient client) {
      assertEquals("configured", client.get("/").send().bodyAsText());
    }
  }

  @Test
  void configurationOfTheHostsBuilderIsAnApplicationToo() {
    Configured.SEEN.clear();
    Outcome outcome = run(Configured.class);
    assertEquals(Map.of(), outcome.failed);
    assertEquals(List.of(true), Configured.SEEN);
  }

  @OwinHostTest(modes = HostMode.IN_MEMORY)
  static class WrongField {
    @FromHost String client;

    @TestApplication
    static AppFunc app() {
      return env -> CompletableFuture.completedFuture(null);
    }

    @Test
    void neverRuns() {}
  }

  @Test
  void wronglyTypedFromHostFieldFailsTheTestNamingTheField() {
    Throwable failure = run(WrongField.class).onlyFailure();
    assertInstanceOf(ExtensionConfigurationException.class, failure);
    assertEquals(
        "@FromHost field "
            + WrongField.class.getName()
            + ".client must be of type TestClient, TestServer or HostMode, got java.lang.String",
        failure.getMessage());
  }

  @OwinHostTest(modes = HostMode.IN_MEMORY)
  static class StaticField {
    @FromHost static TestClient client;

    @TestApplication
    static AppFunc app() {
      return env -> CompletableFuture.completedFuture(null);
    }

    @Test
    void neverRuns() {}
  }

  @Test
  void staticFromHostFieldFailsTheTest() {
    Throwable failure = run(StaticField.class).onlyFailure();
    assertTrue(failure.getMessage().contains("must be an instance field"), failure.getMessage());
  }

  @OwinHostTest(modes = HostMode.IN_MEMORY)
  static class NoApplication {
    @Test
    void neverRuns() {}
  }

  @Test
  void missingApplicationFailsTheClassNamingIt() {
    Throwable failure = run(NoApplication.class).onlyFailure();
    assertEquals(
        NoApplication.class.getName()
            + " must declare a static method annotated @TestApplication returning AppFunc or"
            + " Consumer<AppBuilder>",
        failure.getMessage());
  }

  @OwinHostTest(modes = HostMode.IN_MEMORY)
  static class InstanceApplication {
    @TestApplication
    AppFunc app() {
      return env -> CompletableFuture.completedFuture(null);
    }

    @Test
    void neverRuns() {}
  }

  @Test
  void applicationMethodThatIsNotStaticFailsTheClass() {
    Throwable failure = run(InstanceApplication.class).onlyFailure();
    assertEquals(
        "@TestApplication method " + InstanceApplication.class.getName() + ".app() must be static",
        failure.getMessage());
  }

  @OwinHostTest(modes = HostMode.IN_MEMORY)
  static class WrongApplicationType {
    @TestApplication
    static String app() {
      return "not an app";
    }

    @Test
    void neverRuns() {}
  }

  @Test
  void applicationMethodOfAnotherTypeFailsTheClass() {
    Throwable failure = run(WrongApplicationType.class).onlyFailure();
    assertEquals(
        "@TestApplication method "
            + WrongApplicationType.class.getName()
            + ".app() must return AppFunc or Consumer<AppBuilder>, got java.lang.String",
        failure.getMessage());
  }

  @OwinHostTest(modes = HostMode.IN_MEMORY)
  static class OnlyOnOtherMode {
    @TestApplication
    static AppFunc app() {
      return env -> CompletableFuture.completedFuture(null);
    }

    @Test
    @OnlyOn(value = HostMode.UNDERTOW, reason = "needs a socket")
    void needsUndertow() {}

    @Test
    void runsAnywhere() {}
  }

  @Test
  void testMarkedForTheOtherModeIsSkippedWithItsReason() {
    Outcome outcome = run(OnlyOnOtherMode.class);
    assertEquals(
        Map.of("in-memory > needsUndertow()", "runs only on undertow: needs a socket"),
        outcome.skipped);
    assertEquals(List.of("in-memory > runsAnywhere()"), outcome.passedSorted());
  }

  static class OnlyOnWithoutHosts {
    @Test
    @OnlyOn(value = HostMode.UNDERTOW, reason = "needs a socket")
    void wouldRunAnywhere() {}
  }

  @Test
  void onlyOnOutsideAnOwinHostTestClassFailsTheTest() {
    Throwable failure = run(OnlyOnWithoutHosts.class).onlyFailure();
    // JUnit reports a condition that throws wrapped in its own exception.
    Throwable cause = failure.getCause();
    assertInstanceOf(ExtensionConfigurationException.class, cause);
    assertTrue(cause.getMessage().contains("needs @OwinHostTest"), cause.getMessage());
  }

  @OwinHostTest(modes = HostMode.IN_MEMORY)
  static class Leaky {
    @TestApplication
    static AppFunc app() {
      return env -> new CompletableFuture<>();
    }

    @Test
    void leavesARequestRunning(TestClient client) {
      client.get("/forever").sendAsync();
    }
  }

  @Test
  void leakGateFailsATestThatLeftARequestRunning() {
    Throwable failure = run(Leaky.class).onlyFailure();
    assertInstanceOf(AssertionError.class, failure);
    assertTrue(failure.getMessage().contains("GET /forever"), failure.getMessage());
  }

  @OwinHostTest
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class LeakThenInnocent {
    @TestApplication
    static AppFunc app() {
      return env ->
          "/forever".equals(env.get("owin.RequestPath"))
              ? new CompletableFuture<>()
              : OwinContext.of(env).writeTextAsync("quick");
    }

    @Test
    @Order(1)
    void leavesARequestRunning(TestClient client) {
      client.get("/forever").sendAsync();
    }

    @Test
    @Order(2)
    void sendsAQuickRequest(TestClient client) {
      assertEquals("quick", client.get("/quick").send().bodyAsText());
    }
  }

  @Test
  void leakGateBlamesOnlyTheTestThatLeftTheRequestRunning() {
    Outcome outcome = run(LeakThenInnocent.class);

    assertEquals(
        List.of("in-memory > leavesARequestRunning(TestClient)",
            "undertow > leavesARequestRunning(TestClient)"),
        outcome.failed.keySet().stream().sorted().collect(Collectors.toList()));
    assertEquals(
        List.of("in-memory > sendsAQuickRequest(TestClient)",
            "undertow > sendsAQuickRequest(TestClient)"),
        outcome.passedSorted());
  }
}
