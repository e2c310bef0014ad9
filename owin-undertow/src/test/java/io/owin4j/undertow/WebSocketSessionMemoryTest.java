package io.owin4j.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.core.AppBuilder;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What an open WebSocket keeps of the request that accepted it: once the 101 went out and the
 * delegate-level application returned, nothing the host made for the request (the exchange, its
 * features, the OWIN environment) stays reachable from the session, so an idle session holds its
 * connection and little else.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Dispatch.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketSessionMemoryTest {
  @Parameter Dispatch dispatch;

  private final BlockingQueue<Optional<Throwable>> sessions = EchoMiddleware.sessions();
  private final AtomicReference<WeakReference<Map<String, Object>>> request =
      new AtomicReference<>();
  private OwinServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ZERO);
    }
  }

  /** The echo, with a weak reference to the environment of the request that accepts. */
  private OwinServer start(AppFunc echo) {
    AppFunc app =
        env -> {
          request.set(new WeakReference<>(env));
          return echo.invoke(env);
        };
    server = OwinServer.builder().app(app).dispatch(dispatch).build().start();
    return server;
  }

  @ParameterizedTest
  @EnumSource(EchoMiddleware.class)
  void anOpenSessionDoesNotHoldTheRequestsEnvironment(EchoMiddleware echo) throws Exception {
    JdkWebSocketClient client = JdkWebSocketClient.connect(start(echo.app(sessions)), "/");
    client.socket.sendText("before", true).join();
    assertEquals("before", client.next());

    assertTrue(collected(request.get()), "the open session holds the request's environment");

    assertSessionStillEchoesAndCloses(client);
  }

  @ParameterizedTest
  @EnumSource(EchoMiddleware.class)
  void anOpenSessionBehindAnAppBuilderPipelineDoesNotHoldTheRequestsEnvironment(
      EchoMiddleware echo) throws Exception {
    AppFunc pipeline = AppBuilder.create().run(echo.app(sessions)).build();
    JdkWebSocketClient client = JdkWebSocketClient.connect(start(pipeline), "/");
    client.socket.sendText("before", true).join();
    assertEquals("before", client.next());

    assertTrue(collected(request.get()), "the open session holds the request's environment");

    assertSessionStillEchoesAndCloses(client);
  }

  private void assertSessionStillEchoesAndCloses(JdkWebSocketClient client) throws Exception {
    client.socket.sendText("after", true).join();
    assertEquals("after", client.next());
    client.socket.sendClose(1000, "done").join();
    assertEquals(new JdkWebSocketClient.Closed(1000, "done"), client.closed());
    assertEquals(Optional.empty(), sessions.poll(10, TimeUnit.SECONDS));
  }

  /**
   * Whether what {@code reference} pointed to was collected: true once nothing strongly reachable
   * holds it. Collects a few rounds, since one may run while the host's threads still finish the
   * request.
   */
  private static boolean collected(WeakReference<?> reference) throws InterruptedException {
    for (int round = 0; round < 50 && reference.get() != null; round++) {
      System.gc();
      Thread.sleep(20);
    }
    return reference.get() == null;
  }
}
