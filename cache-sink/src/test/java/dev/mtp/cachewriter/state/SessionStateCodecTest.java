package dev.mtp.cachewriter.state;

import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.testkit.Events;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.mtp.cachewriter.TestIncarnations.iv;
import static dev.mtp.cachewriter.TestIncarnations.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionStateCodecTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:15:30.123456789Z");

    @Test
    void everyFieldSurvivesTheStateTopic() {
        SessionState s = SessionFold.apply(SessionState.empty("s"), Events.created("s", "FULL_SESSION", AT), sv(3))
                .state();
        Map<String, Object> patch = new HashMap<>();
        patch.put("nested", Map.of("a", java.util.List.of(1, 2.5, "x")));
        s = SessionFold.apply(s, Events.updated("s", null, AT.plusSeconds(1),
                new SessionUpdated(null, null, patch, null)), sv(4)).state();
        s = SessionFold.apply(s, Events.interaction("s", "int-1", "RESPONSE_ONLY", AT), iv(8)).state();
        s = SessionFold.apply(s, Events.interaction("s", "int-2", "RESPONSE_ONLY", AT), iv(9)).state();
        s = SessionFold.apply(s, Events.closed("s", AT.plusSeconds(2)), sv(5)).state();

        assertThat(SessionStateCodec.decode("s", SessionStateCodec.encode(s))).isEqualTo(s);

        SessionState deleted = SessionFold.apply(s, Events.deleted("s", AT), sv(6)).state();
        assertThat(SessionStateCodec.decode("s", SessionStateCodec.encode(deleted))).isEqualTo(deleted);
        assertThat(SessionStateCodec.decode("s", SessionStateCodec.encode(SessionState.empty("s"))))
                .isEqualTo(SessionState.empty("s"));
    }

    @Test
    void theWireFormatKeepsTheIncarnationBesideEachVersion() {
        SessionState s = SessionFold.apply(SessionState.empty("s"), Events.created("s", "FULL_SESSION", AT), sv(3))
                .state();
        String created = new String(SessionStateCodec.encode(s), StandardCharsets.UTF_8);
        s = SessionFold.apply(s, Events.interaction("s", "int-1", "RESPONSE_ONLY", AT.plusMillis(1)), iv(8))
                .state();

        String json = new String(SessionStateCodec.encode(s), StandardCharsets.UTF_8);

        assertThat(created).as("no version, no incarnation")
                .startsWith("{\"f\":2,\"sv\":3,\"si\":\"SeSsIoNs\",\"iv\":-1,\"lc\"");
        assertThat(json)
                .startsWith("{\"f\":2,\"sv\":3,\"si\":\"SeSsIoNs\",\"iv\":8,\"ii\":\"InTeRaCt\",\"lc\":\"LIVE\",\"u\":")
                .contains("\"cs\":\"FULL_SESSION\",\"ca\":\"2026-11-25T10:15:30.123456789Z\"")
                .contains("\"li\":\"int-1\",\"la\":\"2026-11-25T10:15:30.124456789Z\"}");
    }

    @Test
    void statesWrittenBeforeIncarnationsAreReadWithUnknownIncarnations() {
        // Format 1, as the state topic holds it from before incarnations were recorded.
        byte[] before = ("{\"f\":1,\"sv\":3,\"iv\":8,\"lc\":\"LIVE\",\"u\":\"user-456\",\"st\":\"active\","
                + "\"cx\":{\"currentTopic\":\"product_inquiry\"},\"cs\":\"WITH_CONTEXT\","
                + "\"ca\":\"2026-11-25T10:15:30.123456789Z\",\"ua\":\"2026-11-25T10:15:30.123456789Z\","
                + "\"ids\":\"AAAAAAAAAAE\",\"li\":\"int-1\",\"la\":\"2026-11-25T10:15:30.124456789Z\"}")
                .getBytes(StandardCharsets.UTF_8);

        SessionState s = SessionStateCodec.decode("s", before);

        assertThat(s.sessionVersion()).isEqualTo(Version.of(Incarnation.UNKNOWN, 3));
        assertThat(s.interactionsVersion()).isEqualTo(Version.of(Incarnation.UNKNOWN, 8));
        assertThat(s.userId()).isEqualTo("user-456");
        assertThat(s.interactionCount()).isEqualTo(1);
        assertThat(SessionFold.apply(s, Events.updated("s", null, AT, new SessionUpdated(null, "paused", null,
                null)), sv(0)).applied()).as("the first event of the consumed incarnation supersedes it").isTrue();
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThatThrownBy(() -> SessionStateCodec.decode("s",
                "{\"f\":3,\"sv\":0,\"iv\":0,\"lc\":\"UNKNOWN\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("format 3");
    }

    @Test
    void aMalformedIncarnationIsRefusedNamingTheSession() {
        assertThatThrownBy(() -> SessionStateCodec.decode("s-9",
                "{\"f\":2,\"sv\":0,\"si\":\"short\",\"iv\":-1,\"lc\":\"LIVE\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("session s-9").hasMessageContaining("'short'");
    }
}
