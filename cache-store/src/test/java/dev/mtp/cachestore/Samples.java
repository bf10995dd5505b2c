package dev.mtp.cachestore;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.testkit.Events;

import java.time.Instant;
import java.util.Map;

/** The seed's example payloads ("Usage Examples"), at a chosen time, in one incarnation of each topic. */
final class Samples {
    private Samples() {}

    static final Incarnation SESSIONS = new Incarnation("SeSsIoNs");
    static final Incarnation INTERACTIONS = new Incarnation("InTeRaCt");

    /** A sessions-topic version in {@link #SESSIONS} ({@code -1}: none). */
    static Version sv(long offset) {
        return Version.of(SESSIONS, offset);
    }

    /** An interactions-topic version in {@link #INTERACTIONS} ({@code -1}: none). */
    static Version iv(long offset) {
        return Version.of(INTERACTIONS, offset);
    }

    static VersionVector versions(long sessionsOffset, long interactionsOffset) {
        return VersionVector.session(sv(sessionsOffset), iv(interactionsOffset));
    }

    static EventEnvelope sessionCreated(String sessionId, String strategy, Instant at) {
        return Events.created(sessionId, strategy, at);
    }

    /** The seed's interaction, its response verbatim. */
    static EventEnvelope interaction(String sessionId, String interactionId, String strategy, Instant at) {
        return Events.interaction(sessionId, interactionId, strategy, at, "Our product offers...",
                Map.of("intent", "product_info"), Map.of());
    }

    /** A live session created at sessions offset {@code sv}, with one interaction at interactions offset {@code iv}. */
    static SessionState session(String sessionId, String strategy, Instant at, long sv, long iv) {
        SessionState s = SessionFold.apply(SessionState.empty(sessionId), sessionCreated(sessionId, strategy, at),
                sv(sv)).state();
        if (iv >= 0) {
            s = SessionFold.apply(s, interaction(sessionId, "int-789", "RESPONSE_ONLY", at), iv(iv)).state();
        }
        return s;
    }
}
