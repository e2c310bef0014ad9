package io.owin4j.middleware.staticfiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Files under a folder; its real path (symbolic links resolved) is the boundary. */
final class DirectorySource implements Source {
  private final Path root;

  DirectorySource(Path root) {
    Objects.requireNonNull(root, "root");
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("root must be an existing directory, got " + root, e);
    }
    if (!Files.isDirectory(this.root)) {
      throw new IllegalArgumentException("root must be a directory, got file " + root);
    }
  }

  @Override
  public @Nullable Resource find(String relative) throws IOException {
    Path candidate = root.resolve(relative).normalize();
    if (!candidate.startsWith(root)) {
      return null;
    }
    // exists() also answers false for a path through a file (such as /a.txt/b), which
    // toRealPath() reports only as a generic FileSystemException.
    if (!Files.exists(candidate)) {
      return null;
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (NoSuchFileException e) {
      return null; // deleted since exists()
    }
    // A symbolic link inside the root may point anywhere; only its target counts.
    if (!real.startsWith(root)) {
      return null;
    }
    return of(real);
  }

  private Resource of(Path real) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
    return new FileResource(real, attributes);
  }

  private final class FileResource implements Resource {
    private final Path path;
    private final BasicFileAttributes attributes;

    FileResource(Path path, BasicFileAttributes attributes) {
      this.path = path;
      this.attributes = attributes;
    }

    @Override
    public String name() {
      Path name = path.getFileName();
      return name == null ? "" : name.toString();
    }

    @Override
    public boolean isDirectory() {
      return attributes.isDirectory();
    }

    @Override
    public long size() {
      return attributes.size();
    }

    @Override
    public Instant lastModified() {
      return attributes.lastModifiedTime().toInstant();
    }

    @Override
    public @Nullable Path file() {
      return attributes.isRegularFile() ? path : null;
    }

    @Override
    public InputStream open(long offset) throws IOException {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
      channel.position(offset);
      return Channels.newInputStream(channel);
    }

    @Override
    public List<Resource> children() throws IOException {
      List<Resource> children = new ArrayList<>();
      if (!isDirectory()) {
        return children;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        for (Path entry : entries) {
          Path real;
          try {
            real = entry.toRealPath();
          } catch (IOException e) {
            continue; // a dangling link
          }
          if (real.startsWith(root)) {
            children.add(new FileResource(entry, Files.readAttributes(real, BasicFileAttributes.class)));
          }
        }
      }
      children.sort(Comparator.comparing(Resource::name));
      return children;
    }
  }
}
