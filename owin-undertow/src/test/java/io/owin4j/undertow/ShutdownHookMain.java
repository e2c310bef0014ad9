package io.owin4j.undertow;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.HostKeys;
import java.util.concurrent.CompletableFuture;

/**
 * A process for {@link ShutdownHookTest}: a server configured from the environment that prints
 * its URI, and prints {@code disposed} when {@code host.OnAppDisposing} fires.
 */
final class ShutdownHookMain {
  private ShutdownHookMain() {}

  public static void main(String[] args) throws InterruptedException {
    OwinServer server =
        OwinServer.fromEnvironment()
            .configure(
                app -> {
                  ((CancellationToken) app.properties().get(HostKeys.ON_APP_DISPOSING))
                      .register(
                          () -> {
                            System.out.println("disposed");
                            System.out.flush();
                          });
                  app.run(env -> CompletableFuture.completedFuture(null));
                })
            .build()
            .start();
    System.out.println("listening on " + server.uri());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
