package io.owin4j.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ExchangeLifecycleTest {
  /** Records what the lifecycle asked of the exchange. */
  private static final class Recorded implements ExchangeLifecycle.Exchange {
    final List<String> calls = new ArrayList<>();
    boolean upgraded;
    boolean aborted;
    boolean started;
    @Nullable RuntimeException respondFails;
    @Nullable Throwable failure;

    @Override
    public boolean upgraded() {
      return upgraded;
    }

    @Override
    public void upgradeCompleted(@Nullable Throwable failure) {
      this.failure = failure;
      calls.add("upgradeCompleted");
    }

    @Override
    public boolean aborted() {
      return aborted;
    }

    @Override
    public boolean responseStarted() {
      return started;
    }

    @Override
    public void respond() {
      calls.add("respond");
      RuntimeException fails = respondFails;
      if (fails != null) {
        throw fails;
      }
    }

    @Override
    public void fault() {
      calls.add("fault");
    }

    @Override
    public void failBeforeStart(Throwable failure, int status) {
      this.failure = failure;
      calls.add("failBeforeStart " + status);
    }

    @Override
    public void failAfterStart(Throwable failure) {
      this.failure = failure;
      calls.add("failAfterStart");
    }

    @Override
    public void end() {
      calls.add("end");
    }
  }

  @Test
  void successStartsAndSendsTheResponse() {
    Recorded exchange = new Recorded();

    ExchangeLifecycle.applicationCompleted(exchange, null);

    assertEquals(List.of("respond"), exchange.calls);
  }

  @Test
  void aFailureBeforeTheStartIsABare500WithTheUnwrappedFailure() {
    Recorded exchange = new Recorded();
    IllegalStateException boom = new IllegalStateException("boom");

    ExchangeLifecycle.applicationCompleted(exchange, new CompletionException(boom));

    assertEquals(List.of("fault", "failBeforeStart 500"), exchange.calls);
    assertSame(boom, exchange.failure);
  }

  @Test
  void aBodyOverTheLimitIs413() {
    Recorded exchange = new Recorded();

    ExchangeLifecycle.applicationCompleted(
        exchange, new UncheckedIOException(new RequestBodyTooLargeException(10, null)));

    assertEquals(List.of("fault", "failBeforeStart 413"), exchange.calls);
  }

  @Test
  void aFailureAfterTheStartAbortsTheResponse() {
    Recorded exchange = new Recorded();
    exchange.started = true;

    ExchangeLifecycle.applicationCompleted(exchange, new IllegalStateException("late"));

    assertEquals(List.of("fault", "failAfterStart"), exchange.calls);
  }

  @Test
  void aCallbackFailingWhileTheResponseStartsFailsTheExchange() {
    Recorded exchange = new Recorded();
    exchange.respondFails = new IllegalStateException("callback");

    ExchangeLifecycle.applicationCompleted(exchange, null);

    assertEquals(List.of("respond", "fault", "failBeforeStart 500"), exchange.calls);
  }

  @Test
  void anAbortedExchangeOnlyEnds() {
    Recorded exchange = new Recorded();
    exchange.aborted = true;

    ExchangeLifecycle.applicationCompleted(exchange, null);
    ExchangeLifecycle.applicationCompleted(exchange, new IllegalStateException("after the abort"));

    assertEquals(List.of("end", "fault", "end"), exchange.calls);
  }

  @Test
  void anUpgradedExchangeIsEndedByItsConnection() {
    Recorded exchange = new Recorded();
    exchange.upgraded = true;
    IllegalStateException boom = new IllegalStateException("socket");

    ExchangeLifecycle.applicationCompleted(exchange, new CompletionException(boom));

    assertEquals(List.of("upgradeCompleted"), exchange.calls);
    assertSame(boom, exchange.failure);
  }
}
