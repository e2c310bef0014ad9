package io.owin4j.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.undertow.internal.ExchangeCall;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SmokeTest {
  @Test
  void hello() throws Exception {
    try (OwinServer server =
        OwinServer.builder()
            .app(
                env -> {
                  FeatureCollection f = (FeatureCollection) env.get(ExchangeCall.FEATURES_KEY);
                  f.require(ResponseFeature.class).headers().put("X-A", new String[] {"b"});
                  f.require(ResponseBodyFeature.class)
                      .stream()
                      .write("hello".getBytes(StandardCharsets.UTF_8));
                  return CompletableFuture.completedFuture(null);
                })
            .build()
            .start()) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(server.uri()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("hello", r.body());
      System.out.println(r.headers().map() + " " + r.version());
    }
  }
}
