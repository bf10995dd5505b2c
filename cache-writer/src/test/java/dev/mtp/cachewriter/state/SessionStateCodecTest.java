package dev.mtp.cachewriter.state;

import dev.mtp.cachewriter.SeedEvents;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionStateCodecTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:15:30.123456789Z");

    @Test
    void everyFieldSurvivesTheStateTopic() {
        SessionState s = SessionFold.apply(SessionState.empty("s"), SeedEvents.created("s", "FULL_SESSION", AT), 3).state();
        Map<String, Object> patch = new HashMap<>();
        patch.put("nested", Map.of("a", java.util.List.of(1, 2.5, "x")));
        s = SessionFold.apply(s, SeedEvents.updated("s", null, AT.plusSeconds(1), new SessionUpdated(null, null, patch, null)), 4).state();
        s = SessionFold.apply(s, SeedEvents.interaction("s", "int-1", "RESPONSE_ONLY", AT), 8).state();
        s = SessionFold.apply(s, SeedEvents.interaction("s", "int-2", "RESPONSE_ONLY", AT), 9).state();
        s = SessionFold.apply(s, SeedEvents.closed("s", AT.plusSeconds(2)), 5).state();

        assertThat(SessionStateCodec.decode("s", SessionStateCodec.encode(s))).isEqualTo(s);

        SessionState deleted = SessionFold.apply(s, SeedEvents.deleted("s", AT), 6).state();
        assertThat(SessionStateCodec.decode("s", SessionStateCodec.encode(deleted))).isEqualTo(deleted);
        assertThat(SessionStateCodec.decode("s", SessionStateCodec.encode(SessionState.empty("s"))))
                .isEqualTo(SessionState.empty("s"));
    }

    @Test
    void theWireFormatStaysAsStatesAlreadyInTheTopicHaveIt() {
        SessionState s = SessionFold.apply(SessionState.empty("s"), SeedEvents.created("s", "FULL_SESSION", AT), 3).state();
        s = SessionFold.apply(s, SeedEvents.interaction("s", "int-1", "RESPONSE_ONLY", AT.plusMillis(1)), 8).state();

        String json = new String(SessionStateCodec.encode(s), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"f\":1,\"sv\":3,\"iv\":8,\"lc\":\"LIVE\",\"u\":")
                .contains("\"cs\":\"FULL_SESSION\",\"ca\":\"2026-11-25T10:15:30.123456789Z\"")
                .contains("\"li\":\"int-1\",\"la\":\"2026-11-25T10:15:30.124456789Z\"}");
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThatThrownBy(() -> SessionStateCodec.decode("s", "{\"f\":2,\"sv\":0,\"iv\":0,\"lc\":\"UNKNOWN\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("format 2");
    }
}
