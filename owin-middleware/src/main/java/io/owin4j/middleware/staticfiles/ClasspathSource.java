package io.owin4j.middleware.staticfiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Resources under a class path prefix. Folders are never listed (a class path cannot be listed
 * portably), and the bytes are copied, never sent with sendfile, since they may live in a jar.
 */
final class ClasspathSource implements Source {
  private final ClassLoader loader;
  private final String prefix;

  ClasspathSource(ClassLoader loader, String prefix) {
    this.loader = Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(prefix, "prefix");
    String trimmed = prefix;
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException(
          "class path prefix must name a package folder such as com/example/static, got \""
              + prefix
              + "\": serving the whole class path would expose class files");
    }
    this.prefix = trimmed;
  }

  @Override
  public @Nullable Resource find(String relative) throws IOException {
    String name = relative.isEmpty() ? prefix : prefix + "/" + relative;
    URL url = loader.getResource(name);
    if (url == null) {
      return null;
    }
    URLConnection connection = url.openConnection();
    connection.setUseCaches(false);
    boolean directory;
    if (connection instanceof JarURLConnection jar) {
      directory = jar.getJarEntry() == null || jar.getJarEntry().isDirectory();
      if (!directory && loader.getResource(name + "/") != null) {
        directory = true;
      }
    } else if (url.getProtocol().equals("file")) {
      try {
        directory = Files.isDirectory(Path.of(url.toURI()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        return null;
      }
    } else {
      directory = false;
    }
    long size = directory ? 0 : connection.getContentLengthLong();
    if (!directory && size < 0) {
      return null;
    }
    long modified = connection.getLastModified();
    String simpleName = name.substring(name.lastIndexOf('/') + 1);
    return new UrlResource(simpleName, url, directory, size, Instant.ofEpochMilli(modified));
  }

  private record UrlResource(
      String name, URL url, boolean isDirectory, long size, Instant lastModified)
      implements Resource {
    @Override
    public @Nullable Path file() {
      return null;
    }

    @Override
    public InputStream open(long offset) throws IOException {
      URLConnection connection = url.openConnection();
      connection.setUseCaches(false);
      InputStream in = connection.getInputStream();
      try {
        in.skipNBytes(offset);
      } catch (IOException e) {
        in.close();
        throw e;
      }
      return in;
    }

    @Override
    public List<Resource> children() {
      return List.of();
    }
  }
}
