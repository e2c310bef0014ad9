package io.owin4j.features.testing;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import junit.framework.AssertionFailedError;
import junit.framework.TestCase;
import junit.framework.TestFailure;
import junit.framework.TestResult;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs a JUnit 3 suite (such as guava-testlib's generated ones) as JUnit 5 dynamic tests, without
 * the vintage engine: each suite becomes a container and each test case a test of its own name.
 *
 * <p>Shared by the tests of every module through this module's test jar, so the {@code Map}
 * implementations of all modules are checked the same way.
 */
public final class JUnit3Suites {
  private JUnit3Suites() {}

  /** Returns {@code test} as a JUnit 5 dynamic node: a container per suite, a test per case. */
  public static DynamicNode toDynamic(junit.framework.Test test) {
    if (test instanceof TestSuite suite) {
      List<DynamicNode> children = new ArrayList<>();
      Enumeration<junit.framework.Test> tests = suite.tests();
      while (tests.hasMoreElements()) {
        children.add(toDynamic(tests.nextElement()));
      }
      return DynamicContainer.dynamicContainer(String.valueOf(suite.getName()), children);
    }
    if (test instanceof TestCase testCase) {
      return DynamicTest.dynamicTest(testCase.getName(), () -> run(testCase));
    }
    throw new IllegalArgumentException("unknown JUnit 3 test type: " + test.getClass().getName());
  }

  private static void run(TestCase testCase) throws Throwable {
    TestResult result = new TestResult();
    testCase.run(result);
    List<TestFailure> failures = new ArrayList<>();
    Enumeration<TestFailure> errors = result.errors();
    while (errors.hasMoreElements()) {
      failures.add(errors.nextElement());
    }
    Enumeration<TestFailure> assertionFailures = result.failures();
    while (assertionFailures.hasMoreElements()) {
      failures.add(assertionFailures.nextElement());
    }
    if (failures.isEmpty()) {
      return;
    }
    Throwable first = failures.get(0).thrownException();
    for (TestFailure other : failures.subList(1, failures.size())) {
      first.addSuppressed(other.thrownException());
    }
    if (first instanceof AssertionFailedError) {
      throw new AssertionError(first.getMessage(), first);
    }
    throw first;
  }
}
