package dev.mtp.reconciler.shadow;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.projection.InteractionIdSet;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.reconciler.TestVersions;
import dev.mtp.testkit.Events;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionStateFormatTest {

    static final Instant T0 = Instant.parse("2026-11-25T10:15:30.123Z");

    @Test
    void everyJsonValueTypeComesBackWithItsJavaType() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("none", null);
        nested.put("list", Arrays.asList(1, 2L, null, "x", List.of(true, false)));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("int", 7);
        context.put("long", 1L << 40);
        context.put("big", new BigInteger("123456789012345678901234567890"));
        context.put("double", 0.1);
        context.put("decimal", new BigDecimal("1.10"));
        context.put("text", "mtp-\u0000-é-✓-\uD83D\uDE00");
        context.put("nested", nested);
        SessionState s = new SessionState("s-1", TestVersions.s(3), TestVersions.i(9), SessionState.Lifecycle.LIVE,
                "user-é", "active", context, Map.of("source", "web_chat"), SessionCacheStrategy.WITH_CONTEXT, T0,
                T0.plusSeconds(1), null, InteractionIdSet.EMPTY.with("int-1").with("int-2"), "int-2", T0.plusSeconds(2));

        SessionState back = SessionStateFormat.decode("s-1", SessionStateFormat.encode(s));

        assertThat(back).isEqualTo(s);
        assertThat(back.context().get("int")).isInstanceOf(Integer.class);
        assertThat(back.context().get("long")).isInstanceOf(Long.class);
        assertThat(back.context().get("decimal")).isEqualTo(new BigDecimal("1.10"));
        assertThat(back.context().keySet()).containsExactlyElementsOf(context.keySet());
    }

    @Test
    void aStateFoldedFromEventsOnTheTopicRoundTrips() {
        // The maps as the reconciler holds them: decoded from the events' JSON by Jackson.
        SessionState s = SessionState.empty("s-1");
        s = SessionFold.apply(s, decoded(Events.created("s-1", "FULL_SESSION", T0)), TestVersions.s(0)).state();
        s = SessionFold.apply(s, decoded(Events.interaction("s-1", "int-1", "NONE", T0.plusSeconds(1))),
                TestVersions.i(4)).state();
        s = SessionFold.apply(s, decoded(Events.closed("s-1", T0.plusSeconds(2))), TestVersions.s(5)).state();

        assertThat(SessionStateFormat.decode("s-1", SessionStateFormat.encode(s))).isEqualTo(s);
    }

    @Test
    void anEmptyStateRoundTrips() {
        SessionState s = SessionState.empty("s-1");

        assertThat(SessionStateFormat.decode("s-1", SessionStateFormat.encode(s))).isEqualTo(s);
    }

    @Test
    void aValueOfNoJsonTypeIsRefusedNamingWhereItIs() {
        Map<String, Object> inner = new HashMap<>();
        inner.put("at", T0);
        SessionState s = new SessionState("s-1", TestVersions.s(0), Version.NONE, SessionState.Lifecycle.LIVE, null,
                null, Map.of("steps", List.of("a", inner)), Map.of(), SessionCacheStrategy.NONE, T0, T0, null, null,
                null, null);

        assertThatThrownBy(() -> SessionStateFormat.encode(s)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("context.steps[1].at holds a java.time.Instant");
    }

    @Test
    void aTruncatedOrTrailingPayloadIsRefusedNotMisread() {
        byte[] bytes = SessionStateFormat.encode(
                SessionFold.apply(SessionState.empty("s-1"), Events.created("s-1", "FULL_SESSION", T0),
                        TestVersions.s(0)).state());

        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> SessionStateFormat.decode("s-1", cut))
                    .as("cut to %d bytes", length)
                    .isInstanceOf(SerializationException.class).hasMessageContaining("s-1");
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> SessionStateFormat.decode("s-1", longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("1 bytes after the state");
    }

    @Test
    void aStateOfEntryFormat4IsReadWithUnknownIncarnations() {
        SessionState s = SessionFold.apply(SessionState.empty("s-1"), Events.created("s-1", "FULL_SESSION", T0),
                TestVersions.s(3)).state();
        s = SessionFold.apply(s, Events.interaction("s-1", "int-1", "NONE", T0.plusSeconds(1)), TestVersions.i(7))
                .state();
        byte[] current = SessionStateFormat.encode(s);
        // Format 4's state: the same, but each version an offset alone (no tag after it).
        byte[] format4 = new byte[current.length - 2 * Integer.BYTES - 2 * Incarnation.TAG_LENGTH];
        System.arraycopy(current, 0, format4, 0, Long.BYTES);
        int interactions = Long.BYTES + Integer.BYTES + Incarnation.TAG_LENGTH;
        System.arraycopy(current, interactions, format4, Long.BYTES, Long.BYTES);
        int rest = interactions + Long.BYTES + Integer.BYTES + Incarnation.TAG_LENGTH;
        System.arraycopy(current, rest, format4, 2 * Long.BYTES, current.length - rest);

        SessionState back = SessionStateFormat.decode("s-1", SessionStateFormat.withUnknownIncarnations(format4));

        assertThat(back.sessionVersion()).isEqualTo(new Version(Incarnation.UNKNOWN, 3));
        assertThat(back.interactionsVersion()).isEqualTo(new Version(Incarnation.UNKNOWN, 7));
        assertThat(back.context()).isEqualTo(s.context());
        assertThat(back.lastInteractionId()).isEqualTo("int-1");
    }

    private static EventEnvelope decoded(EventEnvelope event) {
        return EventCodec.decode(EventCodec.encode(event));
    }
}
