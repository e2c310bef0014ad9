package io.owin4j.testkit.internal;

import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.testkit.OpaqueConnection;
import io.owin4j.testkit.TestResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory upgraded connection: two bounded {@link BytePipe}s, the application's {@link
 * OpaqueStream} at one end and the test's {@link OpaqueConnection} at the other.
 */
final class OpaquePipes {
  private final BytePipe toClient;
  private final BytePipe fromClient;
  private final TestResponse handshake;

  OpaquePipes(int capacity, Duration timeout, TestResponse handshake) {
    // The application's reads have no deadline: it waits for the test as long as the test likes.
    this.toClient = new BytePipe(capacity, timeout, "the client");
    this.fromClient = new BytePipe(capacity, Duration.ofDays(365), "the application");
    this.handshake = handshake;
  }

  /** The application's end. */
  OpaqueStream serverStream() {
    InputStream input = fromClient.source();
    OutputStream output = toClient.sink();
    return new OpaqueStream() {
      @Override
      public InputStream input() {
        return input;
      }

      @Override
      public OutputStream output() {
        return output;
      }
    };
  }

  /** The test's end. */
  OpaqueConnection clientConnection() {
    InputStream input = toClient.source();
    OutputStream output = fromClient.sink();
    return new OpaqueConnection() {
      @Override
      public TestResponse handshakeResponse() {
        return handshake;
      }

      @Override
      public InputStream input() {
        return input;
      }

      @Override
      public OutputStream output() {
        return output;
      }

      @Override
      public void close() {
        toClient.closeReader();
        fromClient.closeWriter();
      }

      @Override
      public String toString() {
        return "OpaqueConnection{in-memory, " + handshake.header("Upgrade") + "}";
      }
    };
  }

  /**
   * Closes the connection once the application's stage completed: the test reads what was sent,
   * then the end of the stream, or the failure.
   */
  void end(@Nullable Throwable failure, boolean propagate) {
    if (failure == null) {
      toClient.closeWriter();
    } else {
      toClient.fail(
          propagate
              ? failure
              : new IOException("the connection was aborted: the application failed"));
    }
    fromClient.closeReader();
  }

  /** The connection went away: both ends fail. */
  void lost() {
    toClient.fail(new IOException("the connection was closed"));
    fromClient.closeReader();
  }
}
