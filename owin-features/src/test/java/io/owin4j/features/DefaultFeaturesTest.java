package io.owin4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.owin4j.api.CancellationToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The small field-backed features. */
class DefaultFeaturesTest {

  @Nested
  class Connection {
    private final DefaultConnectionFeature connection = new DefaultConnectionFeature();

    @Test
    void hasDocumentedDefaults() {
      assertEquals("", connection.connectionId());
      assertEquals("", connection.remoteIpAddress());
      assertEquals(0, connection.remotePort());
      assertEquals("", connection.localIpAddress());
      assertEquals(0, connection.localPort());
      assertFalse(connection.isLocal());
    }

    @Test
    void setsEveryProperty() {
      connection.setConnectionId("c1");
      connection.setRemoteIpAddress("10.0.0.1");
      connection.setRemotePort(50000);
      connection.setLocalIpAddress("10.0.0.2");
      connection.setLocalPort(8080);
      connection.setLocal(true);

      assertEquals("c1", connection.connectionId());
      assertEquals("10.0.0.1", connection.remoteIpAddress());
      assertEquals(50000, connection.remotePort());
      assertEquals("10.0.0.2", connection.localIpAddress());
      assertEquals(8080, connection.localPort());
      assertTrue(connection.isLocal());
    }

    @Test
    void rejectsPortsOutOfRange() {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> connection.setRemotePort(65536));
      assertThrows(IllegalArgumentException.class, () -> connection.setLocalPort(-1));

      assertEquals("remote port must be in [0, 65535], got 65536", e.getMessage());
    }
  }

  @Nested
  class RequestIdentifier {
    @Test
    void generatesAnIdentifierOnFirstReadAndKeepsIt() {
      DefaultRequestIdentifierFeature feature = new DefaultRequestIdentifierFeature();

      String first = feature.requestId();

      assertFalse(first.isEmpty());
      assertEquals(first, feature.requestId());
    }

    @Test
    void generatedIdentifiersDiffer() {
      assertNotEquals(
          new DefaultRequestIdentifierFeature().requestId(),
          new DefaultRequestIdentifierFeature().requestId());
    }

    @Test
    void setBeforeReadIsKept() {
      DefaultRequestIdentifierFeature feature = new DefaultRequestIdentifierFeature();

      feature.setRequestId("abc");

      assertEquals("abc", feature.requestId());
    }

    @Test
    void setFailsOnceSet() {
      DefaultRequestIdentifierFeature feature = new DefaultRequestIdentifierFeature("abc");

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> feature.setRequestId("def"));

      assertEquals(
          "cannot set request id to \"def\": it is already \"abc\" and never changes once set",
          e.getMessage());
    }

    @Test
    void setFailsAfterAReadGeneratedOne() {
      DefaultRequestIdentifierFeature feature = new DefaultRequestIdentifierFeature();
      feature.requestId();

      assertThrows(IllegalStateException.class, () -> feature.setRequestId("def"));
    }
  }

  @Nested
  class RequestLifetime {
    private final CancellationTokenSource source = new CancellationTokenSource();
    private final DefaultRequestLifetimeFeature lifetime = new DefaultRequestLifetimeFeature(source);

    @Test
    void tokenIsTheSourcesToken() {
      assertSame(source.token(), lifetime.requestAborted());
    }

    @Test
    void abortCancelsTheSource() {
      List<String> calls = new ArrayList<>();
      source.token().register(() -> calls.add("close connection"));

      lifetime.abort();
      lifetime.abort();

      assertTrue(source.isCancellationRequested());
      assertEquals(List.of("close connection"), calls);
    }

    @Test
    void tokenCanBeReplaced() {
      lifetime.setRequestAborted(CancellationToken.NONE);

      assertSame(CancellationToken.NONE, lifetime.requestAborted());
    }
  }

  @Nested
  class Authentication {
    @Test
    void anonymousUntilSet() {
      DefaultAuthenticationFeature feature = new DefaultAuthenticationFeature();
      Principal user = () -> "alice";

      Principal before = feature.user();
      feature.setUser(user);

      assertNull(before);
      assertSame(user, feature.user());
    }
  }

  @Nested
  class Tls {
    private final X509Certificate certificate = mock(X509Certificate.class);

    @Test
    void knownCertificateLoadsAtOnce() {
      DefaultTlsFeature tls = new DefaultTlsFeature(certificate);

      assertSame(certificate, tls.loadClientCertificate().toCompletableFuture().join());
    }

    @Test
    void withoutLoaderLoadingGivesNull() {
      DefaultTlsFeature tls = new DefaultTlsFeature(null);

      assertNull(tls.loadClientCertificate().toCompletableFuture().join());
    }

    @Test
    void loaderResultIsRememberedAndLoadedOnce() {
      AtomicInteger loads = new AtomicInteger();
      DefaultTlsFeature tls =
          new DefaultTlsFeature(
              null,
              () -> {
                loads.incrementAndGet();
                return CompletableFuture.completedFuture(certificate);
              });

      X509Certificate loaded = tls.loadClientCertificate().toCompletableFuture().join();
      tls.loadClientCertificate().toCompletableFuture().join();

      assertSame(certificate, loaded);
      assertSame(certificate, tls.clientCertificate());
      assertEquals(1, loads.get());
    }
  }

  @Nested
  class ResponseBody {
    @Test
    void startStartsTheResponseWithoutWriting() throws IOException {
      ResponseStarter starter = new ResponseStarter();
      ByteArrayOutputStream target = new ByteArrayOutputStream();
      DefaultResponseBodyFeature body =
          new DefaultResponseBodyFeature(new ResponseBodyStream(target, starter), starter);

      body.start();

      assertTrue(starter.hasStarted());
      assertEquals(0, target.size());
    }

    @Test
    void streamCanBeReplaced() {
      ResponseStarter starter = new ResponseStarter();
      DefaultResponseBodyFeature body =
          new DefaultResponseBodyFeature(new ByteArrayOutputStream(), starter);
      ByteArrayOutputStream replacement = new ByteArrayOutputStream();

      body.setStream(replacement);

      assertSame(replacement, body.stream());
    }
  }
}
