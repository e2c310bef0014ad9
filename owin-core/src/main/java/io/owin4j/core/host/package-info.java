/**
 * What every host does the same way, written once for all of them: the WebSocket protocol rules
 * (close codes and payloads, control frames, the order of a fragmented message) and the rules of an
 * exchange's lifecycle (body limits, the status of a failure before the response started).
 *
 * <p>A host author uses these classes so that an application behaves the same on every host; the
 * host conformance kit in owin-testkit checks that it does.
 */
@NullMarked
package io.owin4j.core.host;

import org.jspecify.annotations.NullMarked;
