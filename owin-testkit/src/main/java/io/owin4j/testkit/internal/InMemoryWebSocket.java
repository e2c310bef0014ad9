package io.owin4j.testkit.internal;

import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.core.host.WebSocketEngine;
import io.owin4j.core.host.WebSocketProtocol;
import io.owin4j.core.host.WebSocketTransport;
import io.owin4j.testkit.internal.FrameQueue.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory transport of a {@link WebSocketEngine}: the engine that the Undertow host runs,
 * with frames passing through two bounded {@link FrameQueue}s instead of a socket.
 *
 * <p>The connection's thread is emulated: tasks run one at a time on the host's executor, or at
 * once when the connection's own task calls. Frames from the test's end are taken one at a time; a
 * data frame is read by the engine before the next is taken, so the test's sends meet
 * back-pressure. Data the application sends after the test's close is refused, as on Undertow.
 */
final class InMemoryWebSocket implements WebSocketTransport {
  private static final Logger LOG = Logger.getLogger(InMemoryWebSocket.class.getName());

  private final FrameQueue toClient;
  private final FrameQueue fromClient;
  private final @Nullable String subProtocol;
  private final Executor executor;
  private final WebSocketEngine engine;
  private final Object lock = new Object();
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private @Nullable Thread drainer;
  private boolean drainScheduled;
  private final AtomicBoolean open = new AtomicBoolean(true);
  // Connection thread only.
  private @Nullable Incoming incoming;
  private boolean paused;
  private boolean taking;
  private boolean closeFromClient;
  private volatile @Nullable Throwable failureForClient;
  private volatile boolean applicationDone;

  InMemoryWebSocket(
      FrameQueue toClient,
      FrameQueue fromClient,
      @Nullable String subProtocol,
      Executor executor,
      long maxMessageSize) {
    this.toClient = toClient;
    this.fromClient = fromClient;
    this.subProtocol = subProtocol;
    this.executor = executor;
    this.engine = new WebSocketEngine(this, maxMessageSize);
    execute(this::takeNext);
  }

  /** The WebSocket the application uses. */
  WebSocketEngine engine() {
    return engine;
  }

  /**
   * The application's stage completed: the engine ends the connection; when it must be aborted and
   * {@code propagate} is set, the test's end sees {@code failure} instead of a 1006 close.
   */
  void applicationCompleted(@Nullable Throwable failure, boolean propagate) {
    if (failure != null && propagate) {
      failureForClient = failure;
    }
    applicationDone = true;
    engine.applicationCompleted(failure);
    if (!open.get()) {
      toClient.finish(failureForClient);
    }
  }

  /** The connection went away under both ends (the test aborted, or the request was cancelled). */
  void lost() {
    close();
    toClient.finish(failureForClient);
  }

  @Override
  public void execute(Runnable task) {
    run(task, false);
  }

  /** Runs {@code task} after the current task of the connection, never within it. */
  private void later(Runnable task) {
    run(task, true);
  }

  private void run(Runnable task, boolean queued) {
    boolean schedule;
    boolean inline;
    synchronized (lock) {
      boolean onConnection = drainer == Thread.currentThread();
      inline = onConnection && !queued;
      schedule = false;
      if (!inline) {
        tasks.add(task);
        schedule = !onConnection && !drainScheduled;
        drainScheduled = drainScheduled || schedule;
      }
    }
    if (inline) {
      task.run();
      return;
    }
    if (schedule) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException closing) {
        // The host is closing: run what waits here, so the connection still ends.
        drain();
      }
    }
  }

  private void drain() {
    synchronized (lock) {
      drainer = Thread.currentThread();
    }
    try {
      while (true) {
        Runnable next;
        synchronized (lock) {
          next = tasks.poll();
          if (next == null) {
            drainScheduled = false;
            return;
          }
        }
        try {
          next.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "a task of " + this + " failed", e);
        }
      }
    } finally {
      synchronized (lock) {
        drainer = null;
      }
    }
  }

  @Override
  public Runnable schedule(Runnable task, long millis) {
    AtomicBoolean cancelled = new AtomicBoolean();
    Executor later = CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS);
    later.execute(
        () -> {
          if (!cancelled.get()) {
            execute(task);
          }
        });
    return () -> cancelled.set(true);
  }

  @Override
  public @Nullable String subProtocol() {
    return subProtocol;
  }

  @Override
  public boolean isOpen() {
    return open.get();
  }

  @Override
  public boolean closeFrameSent() {
    // The test's end never breaks the protocol, so this transport never closes on its own.
    return false;
  }

  @Override
  public void close() {
    if (!open.compareAndSet(true, false)) {
      return;
    }
    toClient.stopWriter();
    fromClient.discard();
    if (applicationDone) {
      // Until the application is done, the test's end waits: it may yet learn of a failure.
      toClient.finish(failureForClient);
    }
    execute(engine::connectionClosed);
  }

  @Override
  public void pauseReceiving() {
    paused = true;
  }

  @Override
  public void resumeReceiving() {
    if (paused) {
      paused = false;
      takeNext();
    }
  }

  /** Takes the next frame from the test's end, unless one is awaited or the engine holds back. */
  private void takeNext() {
    if (taking || paused || !open.get()) {
      return;
    }
    Incoming current = incoming;
    if (current != null && current.hasUnread()) {
      return;
    }
    taking = true;
    CompletableFuture<Frame> next;
    try {
      next = fromClient.take();
    } catch (IllegalStateException pending) {
      taking = false;
      return;
    }
    next.whenComplete((frame, failure) -> later(() -> arrived(frame, failure)));
  }

  private void arrived(@Nullable Frame frame, @Nullable Throwable failure) {
    taking = false;
    if (frame == null) {
      // The test's end went away, which the connection learns from its own close.
      return;
    }
    switch (frame.type()) {
      case WebSocketMessageTypes.CLOSE -> {
        closeFromClient = true;
        engine.closeArrived(ByteBuffer.wrap(frame.payload()));
      }
      case WebSocketMessageTypes.PING -> engine.pingArrived(ByteBuffer.wrap(frame.payload()));
      case WebSocketMessageTypes.PONG -> {
        // Unsolicited pongs need no answer.
      }
      default -> dataArrived(frame);
    }
    takeNext();
  }

  private void dataArrived(Frame frame) {
    Incoming current = incoming;
    if (current == null || current.complete) {
      // A new message; fragments of a message the engine gave up are dropped as they come.
      current = new Incoming(frame.type());
      incoming = current;
      current.add(frame);
      engine.messageArrived(current);
    } else {
      current.add(frame);
    }
  }

  @Override
  public void write(int messageType, ByteBuffer data, boolean endOfMessage, WriteListener listener) {
    if (closeFromClient) {
      IOException refusal = WebSocketProtocol.refusalAfterPeerClose(messageType);
      if (refusal != null) {
        listener.refused(refusal);
        return;
      }
    }
    Frame frame = new Frame(messageType, FrameQueue.remainingBytes(data), endOfMessage);
    toClient
        .offer(frame)
        .whenComplete(
            (ignored, failure) ->
                execute(
                    () -> {
                      if (failure == null) {
                        listener.written();
                      } else {
                        listener.failed(
                            failure instanceof IOException io
                                ? io
                                : new IOException("the WebSocket connection is closed", failure));
                      }
                    }));
  }

  @Override
  public void pong(ByteBuffer payload) {
    toClient.offer(
        new Frame(WebSocketMessageTypes.PONG, FrameQueue.remainingBytes(payload.duplicate()), true));
  }

  /** A data message from the test's end, as its frames arrive. */
  private final class Incoming implements IncomingMessage {
    private final int type;
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private boolean complete;
    private boolean discarded;
    private @Nullable Runnable whenReadable;

    Incoming(int type) {
      this.type = type;
    }

    void add(Frame frame) {
      complete = frame.last();
      if (discarded) {
        return;
      }
      chunks.add(ByteBuffer.wrap(frame.payload()));
      Runnable waiting = whenReadable;
      whenReadable = null;
      if (waiting != null) {
        later(waiting);
      }
    }

    boolean hasUnread() {
      return !chunks.isEmpty();
    }

    @Override
    public int messageType() {
      return type;
    }

    @Override
    public int read(ByteBuffer buffer) {
      int read = 0;
      while (buffer.hasRemaining() && !chunks.isEmpty()) {
        ByteBuffer chunk = chunks.peek();
        int count = Math.min(chunk.remaining(), buffer.remaining());
        buffer.put(chunk.slice(chunk.position(), count));
        chunk.position(chunk.position() + count);
        read += count;
        if (!chunk.hasRemaining()) {
          chunks.poll();
        }
      }
      if (read > 0 && chunks.isEmpty()) {
        // The engine read all that arrived: the next frame may come.
        later(InMemoryWebSocket.this::takeNext);
      }
      if (read == 0 && complete && chunks.isEmpty()) {
        return -1;
      }
      return read;
    }

    @Override
    public void awaitReadable(Runnable whenReadable) {
      this.whenReadable = whenReadable;
    }

    @Override
    public void discard() {
      discarded = true;
      chunks.clear();
      whenReadable = null;
      later(InMemoryWebSocket.this::takeNext);
    }
  }

  @Override
  public String toString() {
    return "InMemoryWebSocket{" + (open.get() ? "open" : "closed") + "}";
  }
}
