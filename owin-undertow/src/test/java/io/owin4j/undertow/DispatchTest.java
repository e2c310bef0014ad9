package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.io.AsyncReadable;
import io.owin4j.api.io.AsyncWritable;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnio.XnioIoThread;

/** Where the application runs, and that its stage may complete anywhere. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DispatchTest {
  private final AtomicReference<Thread> thread = new AtomicReference<>();

  private final AppFunc recordThread =
      env -> {
        thread.set(Thread.currentThread());
        write(env, "ran");
        return done();
      };

  @Test
  void workerDispatchRunsTheApplicationOffTheIoThreads() throws Exception {
    try (OwinServer server = Servers.start(recordThread)) {
      assertEquals("ran", Servers.get(server, "/").body());

      assertFalse(thread.get() instanceof XnioIoThread, thread.get().getName());
    }
  }

  @Test
  void ioThreadDispatchRunsTheApplicationOnTheIoThread() throws Exception {
    try (OwinServer server =
        Servers.start(recordThread, builder -> builder.dispatch(Dispatch.IO_THREAD))) {
      assertEquals("ran", Servers.get(server, "/").body());

      assertInstanceOf(XnioIoThread.class, thread.get());
    }
  }

  @Test
  void workerExecutorOfTheBuilderRunsTheApplication() throws Exception {
    AtomicInteger tasks = new AtomicInteger();
    Executor counting =
        task -> {
          tasks.incrementAndGet();
          new Thread(task, "custom-worker").start();
        };
    try (OwinServer server =
        Servers.start(recordThread, builder -> builder.workerExecutor(counting))) {
      assertEquals("ran", Servers.get(server, "/").body());

      assertEquals(1, tasks.get());
      assertEquals("custom-worker", thread.get().getName());
    }
  }

  @Test
  void executorThatRejectsGives503() throws Exception {
    Executor full =
        task -> {
          throw new RejectedExecutionException("full");
        };
    try (OwinServer server = Servers.start(recordThread, builder -> builder.workerExecutor(full))) {
      assertEquals(503, Servers.get(server, "/").statusCode());
    }
  }

  @Test
  void stageCompletedLaterOnAnotherThreadEndsTheExchange() throws Exception {
    AppFunc app =
        env ->
            CompletableFuture.runAsync(
                () -> write(env, "later"),
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
    try (OwinServer server =
        Servers.start(app, builder -> builder.dispatch(Dispatch.IO_THREAD))) {
      assertEquals("later", Servers.get(server, "/").body());
    }
  }

  @Test
  void blockingWritesOnTheIoThreadQueueALargeBodyWithoutLosingBytes() throws Exception {
    byte[] big = new byte[4 * 1024 * 1024];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    AppFunc app =
        env -> {
          OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
          for (int off = 0; off < big.length; off += 100_000) {
            body.write(big, off, Math.min(100_000, big.length - off));
          }
          return done();
        };
    try (OwinServer server =
        Servers.start(app, builder -> builder.dispatch(Dispatch.IO_THREAD))) {
      byte[] received =
          Servers.HTTP_1_1
              .send(
                  HttpRequest.newBuilder(server.uri()).build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .body();

      assertTrue(java.util.Arrays.equals(big, received), "every byte arrives in order");
    }
  }

  @Test
  void blockingReadOnTheIoThreadThatWouldWaitFails() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AppFunc app =
        env -> {
          try {
            ((InputStream) env.get(OwinKeys.REQUEST_BODY)).read();
          } catch (IllegalStateException e) {
            failure.set(e);
          }
          return done();
        };
    try (OwinServer server = Servers.start(app, builder -> builder.dispatch(Dispatch.IO_THREAD));
        RawClient client = new RawClient(server.port())) {
      // The head arrives alone; the promised body never comes, so a read would have to wait.
      client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n");
      client.readHeadOnly();

      assertInstanceOf(IllegalStateException.class, failure.get());
      assertTrue(failure.get().getMessage().contains("AsyncReadable"), failure.get().getMessage());
    }
  }

  @Test
  void asyncReadAndWriteEchoOnTheIoThread() throws Exception {
    AppFunc echo =
        env -> {
          AsyncReadable in = (AsyncReadable) env.get(OwinKeys.REQUEST_BODY);
          AsyncWritable out = (AsyncWritable) env.get(OwinKeys.RESPONSE_BODY);
          return pump(in, out, ByteBuffer.allocate(1000));
        };
    String payload = "echo ".repeat(50_000);
    try (OwinServer server =
        Servers.start(echo, builder -> builder.dispatch(Dispatch.IO_THREAD))) {
      HttpResponse<String> response =
          Servers.HTTP_1_1.send(
              HttpRequest.newBuilder(server.uri())
                  .POST(HttpRequest.BodyPublishers.ofString(payload))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertEquals(payload, response.body());
    }
  }

  private static CompletionStage<Void> pump(AsyncReadable in, AsyncWritable out, ByteBuffer buf) {
    buf.clear();
    return in.readAsync(buf)
        .thenCompose(
            n -> {
              if (n < 0) {
                return out.flushAsync();
              }
              buf.flip();
              return out.writeAsync(buf).thenCompose(v -> pump(in, out, buf));
            });
  }

  @Test
  void secondAsyncWriteWhileOneIsPendingFails() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AppFunc app =
        env -> {
          AsyncWritable out = (AsyncWritable) env.get(OwinKeys.RESPONSE_BODY);
          CompletionStage<Void> first = out.writeAsync(ByteBuffer.allocate(32 * 1024 * 1024));
          try {
            out.writeAsync(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
          } catch (IllegalStateException e) {
            failure.set(e);
          }
          return first;
        };
    try (OwinServer server = Servers.start(app, builder -> builder.dispatch(Dispatch.IO_THREAD));
        RawClient client = new RawClient(server.port())) {
      // The client reads nothing until the first write is pending: 32 MiB outgrow the socket buffers.
      client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      while (failure.get() == null) {
        Thread.sleep(10);
      }
      RawClient.Response response = client.read();

      assertEquals(32 * 1024 * 1024, response.body().length);
      assertInstanceOf(IllegalStateException.class, failure.get());
    }
  }
}
