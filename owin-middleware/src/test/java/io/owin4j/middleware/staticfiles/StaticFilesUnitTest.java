package io.owin4j.middleware.staticfiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.testkit.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What no client can send through a host: paths a host never produces, and bad configuration. */
class StaticFilesUnitTest {
  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(
      strings = {"/..", "/./digits.txt", "/..\\secret.txt", "/a\0.png", "//etc/passwd", "/a//b"})
  void undecodedOrRelativePathsGet400(String path) throws Exception {
    Files.writeString(temp.resolve("digits.txt"), "0123456789");
    TestEnvironment exchange = TestEnvironment.get("/").build();
    exchange.environment().put("owin.RequestPath", path);

    exchange.run(StaticFiles.fromDirectory(temp).build());

    assertEquals(400, exchange.response().status());
  }

  @Test
  void emptyPathBelowAMountIsTheRootFolder() throws Exception {
    TestEnvironment exchange = TestEnvironment.get("/").build();
    exchange.environment().put("owin.RequestPath", "");

    exchange.run(StaticFiles.fromDirectory(temp).build());

    assertEquals(404, exchange.response().status());
  }

  @Test
  void missingRootIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> StaticFiles.fromDirectory(temp.resolve("none")));

    assertTrue(e.getMessage().startsWith("root must be an existing directory, got "));
  }

  @Test
  void fileAsRootIsRejected() throws Exception {
    Path file = Files.writeString(temp.resolve("secret.txt"), "x");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StaticFiles.fromDirectory(file));

    assertTrue(e.getMessage().startsWith("root must be a directory, got file "));
  }

  @Test
  void emptyClasspathPrefixIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> StaticFiles.fromClasspath(getClass().getClassLoader(), "/"));
  }

  @Test
  void indexFileNameWithASlashIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> StaticFiles.fromDirectory(temp).indexFiles("../index.html"));
  }
}
