package io.owin4j.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps the testing section of the README honest: each example it shows is a test class of this
 * module, quoted whole, so the build compiles and runs exactly the code readers copy.
 */
class ReadmeSnippetTest {
  private static final Path SECTION = Path.of("README-testing.md");
  private static final Path EXAMPLES = Path.of("src/test/java/io/owin4j/testkit/readme");

  @ParameterizedTest
  @ValueSource(strings = {"GreetingTest.java", "StreamingTest.java", "PoweredByTest.java"})
  void readmeQuotesTheExampleWhole(String example) throws IOException {
    String section = Files.readString(SECTION);
    String source = Files.readString(EXAMPLES.resolve(example));

    assertTrue(
        section.contains("```java\n" + source + "```"),
        SECTION + " must quote " + example + " whole in a java code block; copy it again");
  }
}
