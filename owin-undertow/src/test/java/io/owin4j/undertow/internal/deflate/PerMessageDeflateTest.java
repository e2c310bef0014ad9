package io.owin4j.undertow.internal.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.owin4j.undertow.WebSocketCompression;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Answering a client's permessage-deflate offers (RFC 7692 section 7). */
class PerMessageDeflateTest {
  private static final String NO_TAKEOVER =
      "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

  private static @Nullable String answer(String offers, WebSocketCompression settings) {
    PerMessageDeflate agreed = PerMessageDeflate.negotiate(offers, settings);
    return agreed == null ? null : agreed.responseHeader();
  }

  private static @Nullable String answer(String offers) {
    return answer(offers, WebSocketCompression.defaults());
  }

  @Test
  void asksAPlainOfferForNoContextTakeoverBothWays() {
    assertEquals(NO_TAKEOVER, answer("permessage-deflate"));
  }

  @Test
  void leavesTheClientsWindowHintUnanswered() {
    assertEquals(NO_TAKEOVER, answer("permessage-deflate; client_max_window_bits"));
    assertEquals(NO_TAKEOVER, answer("permessage-deflate; client_max_window_bits=10"));
  }

  @Test
  void acceptsAServerWindowOf15AndEchoesIt() {
    assertEquals(
        NO_TAKEOVER + "; server_max_window_bits=15",
        answer("permessage-deflate; server_max_window_bits=\"15\""));
  }

  @Test
  void fallsBackToAnOfferWithoutASmallerServerWindow() {
    assertEquals(
        NO_TAKEOVER, answer("permessage-deflate; server_max_window_bits=10, permessage-deflate"));
  }

  @Test
  void declinesWhenEveryOfferAsksForASmallerServerWindow() {
    assertNull(answer("permessage-deflate; server_max_window_bits=10"));
  }

  @Test
  void declinesAnOfferWithAnUnknownParameter() {
    assertNull(answer("permessage-deflate; best_compression"));
  }

  @Test
  void declinesAnOfferWithAParameterTwice() {
    assertNull(answer("permessage-deflate; client_no_context_takeover; client_no_context_takeover"));
  }

  @Test
  void declinesAWindowOutOfRange() {
    assertNull(answer("permessage-deflate; client_max_window_bits=16"));
    assertNull(answer("permessage-deflate; client_max_window_bits=7"));
    assertNull(answer("permessage-deflate; client_max_window_bits=x"));
  }

  @Test
  void declinesOtherExtensions() {
    assertNull(answer("x-webkit-deflate-frame"));
  }

  @Test
  void declinesEverythingWhenCompressionIsDisabled() {
    assertNull(answer("permessage-deflate", WebSocketCompression.disabled()));
  }

  @Test
  void withContextTakeoverAnswersOnlyWhatTheClientAskedFor() {
    WebSocketCompression takeover = WebSocketCompression.builder().contextTakeover(true).build();

    assertEquals("permessage-deflate", answer("permessage-deflate", takeover));
    assertEquals(
        "permessage-deflate; client_no_context_takeover",
        answer("permessage-deflate; client_no_context_takeover", takeover));
    assertEquals(
        "permessage-deflate; server_no_context_takeover",
        answer("permessage-deflate; server_no_context_takeover", takeover));
  }

  @Test
  void describesTheAgreement() {
    PerMessageDeflate agreed =
        PerMessageDeflate.negotiate("permessage-deflate", WebSocketCompression.defaults());

    assertNotNull(agreed);
    assertEquals(
        "PerMessageDeflate{" + NO_TAKEOVER + ", permessage-deflate{threshold=1024, level=1,"
            + " contextTakeover=false}}",
        agreed.toString());
  }
}
