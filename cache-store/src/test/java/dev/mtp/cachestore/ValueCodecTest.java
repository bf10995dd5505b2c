package dev.mtp.cachestore;

import dev.mtp.common.projection.InteractionProjection;
import dev.mtp.common.projection.Projection;
import dev.mtp.common.projection.SessionProjection;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueCodecTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:15:30.123456Z");
    private final ValueCodec plain = new ValueCodec(false, 0);
    private final ValueCodec compressing = new ValueCodec(true, 0);

    @ParameterizedTest
    @EnumSource(value = SessionCacheStrategy.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void sessionValuesDecodeToTheirProjection(SessionCacheStrategy strategy) {
        Projection<SessionField> p = SessionProjection.of(Samples.session("session-123", strategy.name(), AT, 12, 7))
                .orElseThrow();
        for (ValueCodec codec : new ValueCodec[] {plain, compressing}) {
            byte[] value = codec.session(p, Samples.versions(12, 7));
            CachedValue<SessionField> back = ValueCodec.decodeSession("session-123", value).orElseThrow();

            assertThat(back.fields()).isEqualTo(p.fields());
            assertThat(back.strategy()).isEqualTo(strategy);
            assertThat(back.versions()).isEqualTo(Samples.versions(12, 7));
        }
    }

    @ParameterizedTest
    @EnumSource(value = InteractionCacheStrategy.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void interactionAndLatestValuesDecodeToTheirProjection(InteractionCacheStrategy strategy) {
        var event = Samples.interaction("session-123", "int-789", strategy.name(), AT);
        Projection<InteractionField> p = InteractionProjection.of(event).orElseThrow();
        Projection<InteractionField> latest = InteractionProjection.latestResponse(event).orElseThrow();
        for (ValueCodec codec : new ValueCodec[] {plain, compressing}) {
            assertThat(ValueCodec.decodeInteraction("session-123", "int-789",
                    codec.interaction(p, VersionVector.of(Samples.iv(42)))).orElseThrow().fields())
                    .isEqualTo(p.fields());
            assertThat(ValueCodec.decodeLatestResponse("session-123",
                    codec.latestResponse(latest, VersionVector.of(Samples.iv(42)))).orElseThrow().fields())
                    .isEqualTo(latest.fields());
        }
    }

    @Test
    void theHeaderCarriesFormatStrategyAndVersionsAndTheBodyLeavesOutWhatTheKeyHolds() {
        Projection<SessionField> p = SessionProjection.of(Samples.session("session-123", "CRITICAL_ONLY", AT, 12, 7))
                .orElseThrow();
        String value = new String(plain.session(p, Samples.versions(12, 7)), StandardCharsets.UTF_8);

        assertThat(value).startsWith("j1:12.SeSsIoNs,7.InTeRaCt|{\"u\":\"user-456\",\"st\":\"active\",\"ca\":"
                + AT.toEpochMilli());
        assertThat(value).doesNotContain("session-123");
    }

    @Test
    void compressionAppliesAboveTheThresholdAndOnlyWhenItSaves() {
        Projection<SessionField> full = SessionProjection.of(Samples.session("session-123", "FULL_SESSION", AT, 1, 1))
                .orElseThrow();
        byte[] small = new ValueCodec(true, 10_000).session(full, Samples.versions(1, 1));
        byte[] deflated = new ValueCodec(true, 0).session(full, Samples.versions(1, 1));

        assertThat(small[0]).isEqualTo(ValueCodec.PLAIN);
        assertThat(deflated[0]).isEqualTo(ValueCodec.DEFLATED);
        assertThat(deflated.length).isLessThan(small.length);
        assertThat(ValueCodec.decodeSession("session-123", deflated).orElseThrow().compressed()).isTrue();
    }

    @Test
    void aTombstoneHasVersionsAndNoValue() {
        byte[] t = ValueCodec.tombstone(Samples.versions(9, -1));
        assertThat(new String(t, StandardCharsets.US_ASCII)).isEqualTo("t0:9.SeSsIoNs,-1|");
        assertThat(ValueCodec.header(t).isTombstone()).isTrue();
        assertThat(ValueCodec.decodeSession("s", t)).isEmpty();
    }

    @Test
    void foreignValuesAreRefusedClearly() {
        assertThatThrownBy(() -> ValueCodec.header("hello".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptValueException.class);
        assertThatThrownBy(() -> ValueCodec.decodeSession("s", "j1:1,2|{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptValueException.class);
    }

    @Test
    void valuesWrittenBeforeIncarnationsAreReadWithUnknownIncarnations() {
        Projection<SessionField> p = SessionProjection.of(Samples.session("session-123", "CRITICAL_ONLY", AT, 12, 7))
                .orElseThrow();
        String current = new String(plain.session(p, Samples.versions(12, 7)), StandardCharsets.UTF_8);
        byte[] before = current.replace("12.SeSsIoNs,7.InTeRaCt", "12,7").getBytes(StandardCharsets.UTF_8);

        CachedValue<SessionField> back = ValueCodec.decodeSession("session-123", before).orElseThrow();
        assertThat(back.fields()).isEqualTo(p.fields());
        assertThat(back.versions()).isEqualTo(VersionVector.session(Version.of(Incarnation.UNKNOWN, 12),
                Version.of(Incarnation.UNKNOWN, 7)));
        byte[] tombstoneBefore = "t0:9,-1|".getBytes(StandardCharsets.US_ASCII);
        assertThat(ValueCodec.header(tombstoneBefore).versions().get(0).incarnation()).isEqualTo(Incarnation.UNKNOWN);
    }

    @Test
    void keysShareTheSessionsHashTag() {
        CacheKeys keys = new CacheKeys("mtp:");
        assertThat(keys.session("session-123")).isEqualTo("mtp:{session-123}:s");
        assertThat(keys.interaction("session-123", "int-789")).isEqualTo("mtp:{session-123}:i:int-789");
        assertThat(keys.latestResponse("session-123")).isEqualTo("mtp:{session-123}:latest");
        assertThat(keys.interactionIndex("session-123")).isEqualTo("mtp:{session-123}:ix");
        assertThat(keys.parse("mtp:{session-123}:i:int:7")).contains(
                new CacheKeys.Parsed(CacheKeys.Kind.INTERACTION, "session-123", "int:7"));
        assertThat(keys.parse("other:{x}:s")).isEmpty();
        assertThatThrownBy(() -> new CacheKeys("a{b")).isInstanceOf(IllegalArgumentException.class);
    }
}
