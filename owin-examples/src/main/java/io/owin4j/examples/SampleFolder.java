package io.owin4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sample files the demo serves under {@code /files/} when no {@code --root} is given, copied
 * from the class path into a fresh temporary folder: sendfile needs real files, not jar entries.
 * Closing deletes the folder.
 */
final class SampleFolder implements AutoCloseable {
  /** The files in the {@code sample-files} resource folder; a jar cannot be listed portably. */
  static final List<String> FILES = List.of("hello.txt", "page.html", "data.json", "owin4j.png");

  private static final String RESOURCE_FOLDER = "sample-files/";

  private final Path path;

  private SampleFolder(Path path) {
    this.path = path;
  }

  /**
   * Copies the sample files into a new temporary folder.
   *
   * @throws IllegalStateException if a sample file is missing from the class path
   * @throws UncheckedIOException if the copy fails; nothing is left behind then
   */
  static SampleFolder extract() {
    Path folder;
    try {
      folder = Files.createTempDirectory("owin4j-demo-files-");
    } catch (IOException e) {
      throw new UncheckedIOException("creating the sample folder failed", e);
    }
    SampleFolder sample = new SampleFolder(folder);
    try {
      for (String name : FILES) {
        copy(name, folder.resolve(name));
      }
    } catch (IOException e) {
      sample.close();
      throw new UncheckedIOException("copying the sample files failed", e);
    } catch (RuntimeException e) {
      sample.close();
      throw e;
    }
    return sample;
  }

  private static void copy(String name, Path target) throws IOException {
    try (InputStream in = SampleFolder.class.getResourceAsStream(RESOURCE_FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE_FOLDER
                + name
                + " must be on the class path next to "
                + SampleFolder.class.getName());
      }
      Files.copy(in, target);
    }
  }

  /** The folder holding the sample files. */
  Path path() {
    return path;
  }

  /**
   * Deletes the sample files and the folder.
   *
   * @throws UncheckedIOException if deleting fails, such as when other files were added to the
   *     folder
   */
  @Override
  public void close() {
    try {
      for (String name : FILES) {
        Files.deleteIfExists(path.resolve(name));
      }
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("deleting the sample folder " + path + " failed", e);
    }
  }
}
