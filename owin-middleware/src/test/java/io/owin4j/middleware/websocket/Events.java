package io.owin4j.middleware.websocket;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** What the endpoints of a test saw, one log per test, named by a token the client passes. */
final class Events {
  private static final Map<String, BlockingQueue<String>> LOGS = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT = new AtomicLong();

  private final String token;
  private final List<String> seen = new ArrayList<>();

  private Events(String token) {
    this.token = token;
  }

  /** A fresh log for one test. */
  static Events create() {
    return new Events("t" + NEXT.incrementAndGet());
  }

  String token() {
    return token;
  }

  /** Records {@code event} in the log named {@code token}. */
  static void record(String token, String event) {
    LOGS.computeIfAbsent(token, key -> new LinkedBlockingQueue<>()).add(event);
  }

  /** Waits up to ten seconds for {@code expected} to be recorded; fails listing what was. */
  void await(String expected) throws InterruptedException {
    await("\"" + expected + "\"", expected::equals);
  }

  /** Waits up to ten seconds for an event that matches {@code regex} in full. */
  void awaitMatching(String regex) throws InterruptedException {
    await("an event matching " + regex, event -> event.matches(regex));
  }

  private void await(String what, Predicate<String> expected) throws InterruptedException {
    if (seen.stream().anyMatch(expected)) {
      return;
    }
    BlockingQueue<String> log = LOGS.computeIfAbsent(token, key -> new LinkedBlockingQueue<>());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      String event = log.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (event == null) {
        fail("never saw " + what + "; saw " + seen);
      }
      seen.add(event);
      if (expected.test(event)) {
        return;
      }
    }
  }

  /** Everything recorded so far, in order. */
  List<String> all() {
    BlockingQueue<String> log = LOGS.computeIfAbsent(token, key -> new LinkedBlockingQueue<>());
    log.drainTo(seen);
    return List.copyOf(seen);
  }
}
