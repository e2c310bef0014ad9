/**
 * The host conformance kit: abstract test classes that state, with tests, what every Owin4J host
 * owes an application. A host proves itself by subclassing each with one factory method.
 *
 * <pre>{@code
 * class MyHostHttpTest extends HttpContract {
 *   @Override
 *   protected TestServer.Builder host() {
 *     return TestServer.builder().launcher(MyHost::launch);
 *   }
 * }
 * }</pre>
 *
 * <p>{@link io.owin4j.testkit.contract.HttpContract} covers request keys, response rules, the
 * on-sending-headers callbacks, streaming, failures before and after the response started, body
 * limits and cancellation; {@link io.owin4j.testkit.contract.WebSocketContract} the WebSocket
 * protocol rules; {@link io.owin4j.testkit.contract.UpgradeContract} sendfile and the opaque
 * upgrade. Every request of the kit runs behind {@link io.owin4j.core.OwinLint}, and every test ends
 * with no request still running.
 */
@NullMarked
package io.owin4j.testkit.contract;

import org.jspecify.annotations.NullMarked;
