package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SampleFolderTest {
  @Test
  void extractCopiesEverySampleFileIntoARealFolder() throws Exception {
    try (SampleFolder sample = SampleFolder.extract()) {
      for (String name : SampleFolder.FILES) {
        Path file = sample.path().resolve(name);
        try (InputStream resource =
            SampleFolder.class.getResourceAsStream("sample-files/" + name)) {
          assertArrayEquals(resource.readAllBytes(), Files.readAllBytes(file), name);
        }
      }
    }
  }

  @Test
  void closeDeletesTheFolder() {
    SampleFolder sample = SampleFolder.extract();
    assertTrue(Files.isDirectory(sample.path()));

    sample.close();

    assertFalse(Files.exists(sample.path()));
  }
}
