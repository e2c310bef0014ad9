package io.owin4j.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server thread that dies of an error leaves no zombie behind: the policy stops the server (or
 * exits the process), and other threads' failures pass on to the handler that was there before.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FatalErrorPolicyTest {

  @Test
  void aServerThreadDyingOfAnErrorStopsTheServerUnderTheStopPolicy() throws Exception {
    OwinServer server =
        Servers.start(env -> Servers.done(), b -> b.fatalErrorPolicy(FatalErrorPolicy.STOP));
    int port = server.port();
    try {
      assertEquals(200, Servers.get(server, "/").statusCode());
      // A thread of the server's own naming (as its IO and accept threads are) dies of an error.
      Thread dying =
          new Thread(
              () -> {
                throw new OutOfMemoryError("simulated: Java heap space");
              },
              server.workerName() + " I/O-9");
      dying.start();
      dying.join();

      // The policy stops the server on a thread of its own: wait until the port refuses (the
      // class timeout bounds the wait), since "stopped" is reported before the listener closes.
      while (!server.toString().contains("stopped") || accepts(port)) {
        Thread.sleep(10);
      }
      assertThrows(IOException.class, () -> connect(port));
    } finally {
      server.close();
    }
  }

  @Test
  void otherThreadsErrorsGoToThePreviousHandler() throws Exception {
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    java.util.concurrent.atomic.AtomicReference<Throwable> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> seen.set(e));
    try (OwinServer server =
        Servers.start(env -> Servers.done(), b -> b.fatalErrorPolicy(FatalErrorPolicy.STOP))) {
      Thread other =
          new Thread(
              () -> {
                throw new IllegalStateException("not the server's");
              },
              "someone-else");
      other.start();
      other.join();

      assertEquals("not the server's", seen.get().getMessage());
      assertEquals(200, Servers.get(server, "/").statusCode());
      assertTrue(server.toString().contains("started"));
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  private static boolean accepts(int port) {
    try {
      connect(port);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    }
  }
}
