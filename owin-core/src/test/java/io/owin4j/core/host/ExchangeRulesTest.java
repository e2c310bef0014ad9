package io.owin4j.core.host;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExchangeRulesTest {
  @Test
  void onlyADeclaredLengthOverThePositiveLimitIsTooLarge() {
    assertTrue(ExchangeRules.declaredTooLarge(11, 10));
    assertFalse(ExchangeRules.declaredTooLarge(10, 10));
    assertFalse(ExchangeRules.declaredTooLarge(-1, 10));
    assertFalse(ExchangeRules.declaredTooLarge(1_000, 0));
  }

  @Test
  void aBodyOverTheLimitIs413AndEveryOtherFailure500() {
    RequestBodyTooLargeException tooLarge = new RequestBodyTooLargeException(10, null);

    assertEquals(413, ExchangeRules.statusOf(tooLarge));
    assertEquals(413, ExchangeRules.statusOf(new UncheckedIOException(tooLarge)));
    assertEquals(500, ExchangeRules.statusOf(new IllegalStateException("boom")));
    assertEquals(500, ExchangeRules.statusOf(new IOException("reset")));
  }

  @Test
  void aLimitedBodyReadsUpToTheLimitAndFailsPastIt() throws IOException {
    InputStream atLimit = ExchangeRules.limited(new ByteArrayInputStream(new byte[10]), 10);
    assertEquals(10, atLimit.readAllBytes().length);

    InputStream over = ExchangeRules.limited(new ByteArrayInputStream(new byte[11]), 10);
    RequestBodyTooLargeException thrown =
        assertThrows(RequestBodyTooLargeException.class, over::readAllBytes);
    assertEquals(10, thrown.limit());
    assertEquals("the request body exceeds the limit of 10 bytes", thrown.getMessage());
  }

  @Test
  void aLimitMustBePositive() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ExchangeRules.limited(InputStream.nullInputStream(), 0));
  }

  @Test
  void theDeclaredLengthIsTheContentLengthUnlessATransferEncodingFramesTheBody() {
    assertEquals(5, ExchangeRules.declaredLength(Map.of("content-length", new String[] {" 5 "})));
    assertEquals(-1, ExchangeRules.declaredLength(Map.of()));
    assertEquals(
        -1, ExchangeRules.declaredLength(Map.of("Content-Length", new String[] {"five"})));
    assertEquals(
        -1,
        ExchangeRules.declaredLength(
            Map.of(
                "Content-Length", new String[] {"5"},
                "Transfer-Encoding", new String[] {"chunked"})));
    assertEquals(7, ExchangeRules.declaredLength("7", false));
    assertEquals(-1, ExchangeRules.declaredLength("7", true));
    assertEquals(-1, ExchangeRules.declaredLength(null, false));
    assertEquals(-1, ExchangeRules.declaredLength("-7", false));
    assertEquals(-1, ExchangeRules.declaredLength("18446744073709551619", false));
  }

  @Test
  void aStreamLimitedToTheDeclaredLengthRefusesTheWriteThatWouldPassIt() throws Exception {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    OutputStream body = ExchangeRules.limitedToDeclaredLength(sent, () -> 5);
    body.write("hel".getBytes(US_ASCII));
    IOException tooMuch =
        assertThrows(
            IOException.class,
            () -> body.write("lo!".getBytes(US_ASCII)));
    body.write("lo".getBytes(US_ASCII));

    assertEquals("hello", sent.toString(US_ASCII));
    assertTrue(tooMuch.getMessage().contains("Content-Length"));
  }
}
