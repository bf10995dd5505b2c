package dev.mtp.reconciler.shadow;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.Json;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.reconciler.Codecs;
import dev.mtp.reconciler.TestVersions;
import dev.mtp.testkit.Events;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShadowEntrySerdeTest {

    static final CacheKeys KEYS = new CacheKeys("mtp:");
    static final Instant T0 = Instant.parse("2026-11-25T10:15:30Z");

    @Test
    void aSessionEntryWithItsFullStateRoundTrips() {
        SessionState s = SessionFold.apply(SessionState.empty("s-1"), Events.created("s-1", "FULL_SESSION", T0),
                TestVersions.s(3)).state();
        s = SessionFold.apply(s, Events.interaction("s-1", "int-1", "RESPONSE_ONLY", T0.plusSeconds(1)),
                TestVersions.i(7)).state();
        s = SessionFold.apply(s, Events.interaction("s-1", "int-2", "RESPONSE_ONLY", T0.plusSeconds(2)),
                TestVersions.i(8)).state();
        ShadowEntry e = ShadowEntry.session(KEYS.session("s-1"), s, ShadowFold.sessionDesired(s, Codecs.DEFAULT), 1234)
                .withCheckAt(99);

        ShadowEntry back = ShadowEntrySerde.decode(ShadowEntrySerde.encode(e));

        assertSame(back, e);
        assertThat(back.state()).isEqualTo(e.state());
        assertThat(back.desired().versions()).isEqualTo(VersionVector.session(TestVersions.s(3), TestVersions.i(8)));
        assertThat(back.state().interactionsVersion()).isEqualTo(TestVersions.i(8));
        assertThat(back.state().interactionCount()).isEqualTo(2);
        assertThat(back.state().interactionIds().contains("int-2")).isTrue();
        assertThat(ShadowFold.sessionDesired(back.state(), Codecs.DEFAULT)).isEqualTo(e.desired());
    }

    @Test
    void anInteractionEntryWithItsEventRoundTrips() {
        EventEnvelope event = Events.interaction("s-1", "int-1", "WITH_CONTEXT", T0);
        ShadowEntry e = ShadowEntry.interaction(KEYS.interaction("s-1", "int-1"), event, TestVersions.i(42),
                ShadowFold.interactionDesired(event, VersionVector.of(TestVersions.i(42)), Codecs.DEFAULT), 5);

        ShadowEntry back = ShadowEntrySerde.decode(ShadowEntrySerde.encode(e));

        assertSame(back, e);
        assertThat(back.event()).isEqualTo(e.event());
        assertThat(back.version()).isEqualTo(TestVersions.i(42));
        assertThat(back.interactionId()).isEqualTo("int-1");
    }

    @Test
    void anEntryStoredAgainKeepsItsPayloadBytesWithoutDecodingThem() {
        EventEnvelope event = Events.interaction("s-1", "int-1", "WITH_CONTEXT", T0);
        ShadowEntry e = ShadowEntry.interaction(KEYS.interaction("s-1", "int-1"), event, TestVersions.i(42),
                ShadowFold.interactionDesired(event, VersionVector.of(TestVersions.i(42)), Codecs.DEFAULT), 5);
        byte[] once = ShadowEntrySerde.encode(e);

        byte[] again = ShadowEntrySerde.encode(ShadowEntrySerde.decode(once).withCheckAt(7));

        assertThat(ShadowEntrySerde.decode(again).checkAt()).isEqualTo(7);
        assertThat(ShadowEntrySerde.decode(again).event()).isEqualTo(event);
    }

    /**
     * An entry's header as {@link DataOutputStream} writes it, then {@code payload}: format 5 with each version's
     * incarnation after its offset, formats 3 and 4 with offsets only.
     */
    private static byte[] writtenByDataOutputStream(byte format, ShadowEntry e, String interactionId,
                                                    Version[] versions, byte[] payload) throws IOException {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(written)) {
            out.writeByte(format);
            out.writeUTF(e.key());
            out.writeUTF(e.sessionId());
            out.writeUTF(interactionId);
            out.writeUTF(e.desired().strategy());
            out.writeByte(e.kind().ordinal());
            out.writeByte(e.desired().presence().ordinal());
            out.writeByte(versions.length);
            for (Version v : versions) {
                writeVersion(out, format, v);
            }
            out.writeLong(e.desired().expireAt());
            out.writeLong(e.desired().contentHash());
            writeVersion(out, format, e.version());
            out.writeLong(e.changedAt());
            out.writeLong(e.checkAt());
            out.write(payload);
        }
        return written.toByteArray();
    }

    private static void writeVersion(DataOutputStream out, byte format, Version v) throws IOException {
        out.writeLong(v.offset());
        if (format == ShadowEntrySerde.FORMAT) {
            out.writeUTF(v.incarnation().tag());
        }
    }

    /** A version as entries of formats 3 and 4 held it: an offset, of no known incarnation. */
    private static Version old(long offset) {
        return Version.of(Incarnation.UNKNOWN, offset);
    }

    /** A session state of unknown incarnations as format 4 wrote it: without the (empty) tags after the offsets. */
    private static byte[] format4State(SessionState s) {
        byte[] current = ShadowEntrySerde.encodeState(s);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(current, 0, Long.BYTES);
        out.write(current, Long.BYTES + Integer.BYTES, Long.BYTES);
        out.write(current, 2 * (Long.BYTES + Integer.BYTES), current.length - 2 * (Long.BYTES + Integer.BYTES));
        return out.toByteArray();
    }

    /** What a reconciler before incarnations folded: offsets of no known incarnation. */
    private static SessionState foldedBeforeIncarnations() {
        SessionState s = SessionFold.apply(SessionState.empty("s-1"), Events.created("s-1", "WITH_CONTEXT", T0), old(3))
                .state();
        return SessionFold.apply(s, Events.interaction("s-1", "int-1", "RESPONSE_ONLY", T0.plusSeconds(1)), old(7))
                .state();
    }

    private static void assertSame(ShadowEntry back, ShadowEntry e) {
        assertThat(back.key()).isEqualTo(e.key());
        assertThat(back.kind()).isEqualTo(e.kind());
        assertThat(back.sessionId()).isEqualTo(e.sessionId());
        assertThat(back.desired()).isEqualTo(e.desired());
        assertThat(back.changedAt()).isEqualTo(e.changedAt());
        assertThat(back.checkAt()).isEqualTo(e.checkAt());
    }

    @Test
    void stringsBeyondAsciiKeepTheLayoutDataOutputStreamWrites() throws IOException {
        // Keys and ids are ASCII by contract; the format is not. NUL, two- and three-byte characters and a
        // surrogate pair: the cases of modified UTF-8.
        String key = "mtp-\u0000-é-✓-\uD83D\uDE00:{s-1}:i:int-1";
        EventEnvelope event = Events.interaction("s-1", "int-1", "WITH_CONTEXT", T0);
        ShadowEntry e = ShadowEntry.stored(key, CacheKeys.Kind.INTERACTION, "s-1", "int-1",
                ShadowFold.interactionDesired(event, VersionVector.of(TestVersions.i(42), old(7)), Codecs.DEFAULT),
                TestVersions.i(42), 5, 9, ShadowEntrySerde.encodeEvent(event));

        byte[] encoded = ShadowEntrySerde.encode(e);

        // Entries already in changelogs were written by DataOutputStream: the same bytes, so both decode.
        byte[] reference = writtenByDataOutputStream(ShadowEntrySerde.FORMAT, e, "int-1",
                new Version[] {TestVersions.i(42), old(7)}, e.payload());
        assertThat(encoded).isEqualTo(reference);
        ShadowEntry back = ShadowEntrySerde.decode(encoded);
        assertSame(back, e);
        assertThat(back.event()).isEqualTo(event);
    }

    @Test
    void aSessionEntryOfFormat3WithItsStateAsJsonIsReadWithUnknownIncarnations() throws IOException {
        SessionState s = foldedBeforeIncarnations();
        ShadowEntry e = ShadowEntry.session(KEYS.session("s-1"), s, ShadowFold.sessionDesired(s, Codecs.DEFAULT), 1234)
                .withCheckAt(99);
        // As the code before format 4 wrote it: the header of format 4 after format byte 3, then the state as JSON.
        byte[] written = writtenByDataOutputStream(ShadowEntrySerde.FORMAT_JSON_STATE, e, "",
                new Version[] {old(3), old(7)},
                Json.mapper().writeValueAsBytes(new ShadowEntrySerde.StateJson(3, 7, "LIVE", "user-456", "active",
                        s.context(), s.metadata(), "WITH_CONTEXT", T0.toEpochMilli(), T0.toEpochMilli(), null,
                        s.interactionIds().digests(), "int-1", T0.plusSeconds(1).toEpochMilli())));

        ShadowEntry back = ShadowEntrySerde.decode(written);

        assertSame(back, e);
        assertThat(back.state()).isEqualTo(s);
        assertThat(back.desired().versions()).isEqualTo(VersionVector.session(old(3), old(7)));
        byte[] again = ShadowEntrySerde.encode(back);
        assertThat(again[0]).isEqualTo(ShadowEntrySerde.FORMAT);
        assertThat(again).isEqualTo(ShadowEntrySerde.encode(e));
    }

    @Test
    void aSessionEntryOfFormat4IsReadWithUnknownIncarnationsAndStoredAgainInFormat5() throws IOException {
        SessionState s = foldedBeforeIncarnations();
        ShadowEntry e = ShadowEntry.session(KEYS.session("s-1"), s, ShadowFold.sessionDesired(s, Codecs.DEFAULT), 1234)
                .withCheckAt(99);
        byte[] written = writtenByDataOutputStream(ShadowEntrySerde.FORMAT_OFFSETS_ONLY, e, "",
                new Version[] {old(3), old(7)}, format4State(s));

        ShadowEntry back = ShadowEntrySerde.decode(written);

        assertSame(back, e);
        assertThat(back.state()).isEqualTo(s);
        assertThat(back.state().sessionVersion()).isEqualTo(old(3));
        assertThat(back.desired().versions().get(1).incarnation()).isEqualTo(Incarnation.UNKNOWN);
        assertThat(ShadowEntrySerde.encode(back)).isEqualTo(ShadowEntrySerde.encode(e));
    }

    @Test
    void anInteractionEntryOfFormat4IsReadWithAnUnknownIncarnation() throws IOException {
        EventEnvelope event = Events.interaction("s-1", "int-1", "WITH_CONTEXT", T0);
        ShadowEntry e = ShadowEntry.interaction(KEYS.interaction("s-1", "int-1"), event, old(42),
                ShadowFold.interactionDesired(event, VersionVector.of(old(42)), Codecs.DEFAULT), 5).withCheckAt(7);
        byte[] written = writtenByDataOutputStream(ShadowEntrySerde.FORMAT_OFFSETS_ONLY, e, "int-1",
                new Version[] {old(42)}, ShadowEntrySerde.encodeEvent(event));

        ShadowEntry back = ShadowEntrySerde.decode(written);

        assertSame(back, e);
        assertThat(back.version()).isEqualTo(old(42));
        assertThat(back.event()).isEqualTo(event);
        assertThat(back.desired().versions().get(0).incarnation().isKnown()).isFalse();
    }

    @Test
    void anEntryOfAnUnknownFormatIsRefusedNamingIt() {
        assertThatThrownBy(() -> ShadowEntrySerde.decode(new byte[] {9, 0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format 9 is not 5, 4 or 3");
    }

    @Test
    void aDeletedSessionRoundTrips() {
        SessionState s = SessionFold.apply(SessionState.empty("s-1"), Events.created("s-1", "NONE", T0),
                TestVersions.s(0)).state();
        s = SessionFold.apply(s, Events.deleted("s-1", T0.plusSeconds(1)), TestVersions.s(1)).state();
        ShadowEntry e = ShadowEntry.session(KEYS.session("s-1"), s, ShadowFold.sessionDesired(s, Codecs.DEFAULT), 5);

        ShadowEntry back = ShadowEntrySerde.decode(ShadowEntrySerde.encode(e));
        assertSame(back, e);
        assertThat(back.state()).isEqualTo(e.state());
    }
}
