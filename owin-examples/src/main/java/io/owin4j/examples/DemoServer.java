package io.owin4j.examples;

import io.owin4j.undertow.OwinServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The demo server: {@link DemoApp} on the Undertow host, with HTTP/2 cleartext on.
 *
 * <h2>Command line</h2>
 *
 * <pre>
 * java -jar owin-examples.jar [--host H] [--port N] [--root DIR] [--help]
 * </pre>
 *
 * {@code --host} defaults to the environment's {@code HOST}, else {@code 127.0.0.1}; {@code --port}
 * to the environment's {@code PORT}, else 8080 (0 picks a free port); and
 * {@code --root} to a small sample folder copied to a temporary folder for the server's lifetime.
 * Once the server listens, the first line on standard output is {@code Listening on
 * http://HOST:PORT/} with the real port. {@code --help} prints the usage and exits with 0; a bad
 * option prints a message and the usage on standard error and exits with 2; a server that cannot
 * start (such as a port in use) exits with 1. The server runs until the process is stopped
 * (Ctrl-C), then stops gracefully.
 *
 * <h2>In a program or test</h2>
 *
 * {@link #start} starts the same server in-process; {@link #close} stops it and frees what it made.
 */
public final class DemoServer implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final OwinServer server;
  private final ScheduledExecutorService scheduler;
  private final @Nullable SampleFolder sample;
  private final Path filesRoot;

  private DemoServer(
      OwinServer server,
      ScheduledExecutorService scheduler,
      @Nullable SampleFolder sample,
      Path filesRoot) {
    this.server = server;
    this.scheduler = scheduler;
    this.sample = sample;
    this.filesRoot = filesRoot;
  }

  /**
   * Starts the demo server.
   *
   * @param host the address to listen on
   * @param port the port; 0 for a free one
   * @param root the folder to serve under {@code /files/}; null for the sample folder
   * @return the started server
   * @throws IllegalArgumentException if {@code port} is not in [0, 65535] or {@code root} is not an
   *     existing directory
   * @throws RuntimeException if the server cannot start (such as a port in use); nothing is left
   *     running then
   */
  public static DemoServer start(String host, int port, @Nullable Path root) {
    Objects.requireNonNull(host, "host");
    SampleFolder sample = root == null ? SampleFolder.extract() : null;
    Path filesRoot = sample != null ? sample.path() : root;
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("owin4j-demo-stream"));
    try {
      OwinServer server =
          OwinServer.builder()
              .host(host)
              .port(port)
              .http2(true)
              .app(DemoApp.create(filesRoot, scheduler))
              .build()
              .start();
      return new DemoServer(server, scheduler, sample, filesRoot);
    } catch (RuntimeException | Error e) {
      scheduler.shutdownNow();
      if (sample != null) {
        sample.close();
      }
      throw e;
    }
  }

  /** The root URI the server listens on, such as {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    return server.uri();
  }

  /** The folder served under {@code /files/}: the given root, or the temporary sample folder. */
  public Path filesRoot() {
    return filesRoot;
  }

  /**
   * Stops the server gracefully (requests in flight get a few seconds), then its scheduler, and
   * deletes the sample folder if it made one. Closing again does nothing.
   */
  @Override
  public void close() {
    try {
      server.stop(STOP_TIMEOUT);
    } finally {
      scheduler.shutdownNow();
      if (sample != null) {
        sample.close();
      }
    }
  }

  /**
   * Runs the demo server from the command line; see the class documentation.
   *
   * @param args the options
   */
  public static void main(String[] args) {
    int status = launch(args, System.out, System.err);
    if (status != RUNNING) {
      System.exit(status);
    }
  }

  /** What {@link #launch} returns when the server runs on after it. */
  static final int RUNNING = -1;

  /**
   * Parses {@code args} and starts the server, stopping it when the JVM shuts down.
   *
   * @return {@link #RUNNING} when the server started, otherwise the process's exit status
   */
  static int launch(String[] args, PrintStream out, PrintStream err) {
    DemoOptions options;
    DemoServer demo;
    try {
      options = DemoOptions.parse(System.getenv(), args);
      if (options.help()) {
        out.print(DemoOptions.USAGE);
        out.flush();
        return 0;
      }
      demo = start(options.host(), options.port(), options.root());
    } catch (IllegalArgumentException e) {
      err.println("owin-examples: " + e.getMessage());
      err.print(DemoOptions.USAGE);
      err.flush();
      return 2;
    } catch (RuntimeException e) {
      err.println("owin-examples: the server could not start: " + e);
      err.flush();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "owin4j-demo-stop"));
    out.println("Listening on " + demo.uri());
    out.flush();
    return RUNNING;
  }

  private static ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
