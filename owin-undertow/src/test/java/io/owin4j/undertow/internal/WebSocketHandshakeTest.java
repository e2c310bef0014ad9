package io.owin4j.undertow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.owin4j.undertow.WebSocketCompression;
import io.owin4j.undertow.internal.deflate.PerMessageDeflate;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading an RFC 6455 handshake and answering its key, subprotocols and extensions. */
class WebSocketHandshakeTest {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  private final HttpServerExchange exchange = new HttpServerExchange(null);

  WebSocketHandshakeTest() {
    exchange.setRequestMethod(Methods.GET);
    exchange.setProtocol(Protocols.HTTP_1_1);
    exchange.getRequestHeaders().put(Headers.UPGRADE, "WebSocket");
    exchange.getRequestHeaders().put(Headers.CONNECTION, "keep-alive, Upgrade");
    exchange.getRequestHeaders().put(Headers.SEC_WEB_SOCKET_KEY, KEY);
    exchange.getRequestHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, "13");
  }

  private WebSocketHandshake handshake() {
    WebSocketHandshake handshake = WebSocketHandshake.of(exchange);
    assertNotNull(handshake, "a valid handshake");
    return handshake;
  }

  @Test
  void answersTheRfcExampleKey() {
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", handshake().acceptKey());
  }

  @Test
  void readsTheOfferedSubProtocolsOfEveryHeaderLine() {
    exchange.getRequestHeaders().add(Headers.SEC_WEB_SOCKET_PROTOCOL, "chat, json");
    exchange.getRequestHeaders().add(Headers.SEC_WEB_SOCKET_PROTOCOL, " echo ");

    assertEquals(List.of("chat", "json", "echo"), handshake().offeredSubProtocols());
  }

  @Test
  void isNoHandshakeWithAKeyOfOtherThan16Bytes() {
    exchange.getRequestHeaders().put(Headers.SEC_WEB_SOCKET_KEY, "c2hvcnQ=");

    assertNull(WebSocketHandshake.of(exchange));
  }

  @Test
  void isNoHandshakeWithAKeyThatIsNoBase64() {
    exchange.getRequestHeaders().put(Headers.SEC_WEB_SOCKET_KEY, "not base64 at all!!");

    assertNull(WebSocketHandshake.of(exchange));
  }

  @Test
  void isNoHandshakeWithoutUpgradeInConnection() {
    exchange.getRequestHeaders().put(Headers.CONNECTION, "keep-alive");

    assertNull(WebSocketHandshake.of(exchange));
  }

  @Test
  void negotiatesTheDeflateTheClientOfferedOnAnyHeaderLine() {
    exchange.getRequestHeaders().add(Headers.SEC_WEB_SOCKET_EXTENSIONS, "x-unknown");
    exchange.getRequestHeaders().add(Headers.SEC_WEB_SOCKET_EXTENSIONS, "permessage-deflate");

    PerMessageDeflate deflate = handshake().negotiateDeflate(WebSocketCompression.defaults());

    assertNotNull(deflate, "the offer on the second line");
    assertEquals(
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        deflate.responseHeader());
  }
}
