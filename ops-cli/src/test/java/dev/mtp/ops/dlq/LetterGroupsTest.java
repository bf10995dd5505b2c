package dev.mtp.ops.dlq;

import dev.mtp.runtime.consume.DeadLetterPublisher;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LetterGroupsTest {

    private static DeadLetter letter(long offset, String app, String error, String source, String at) {
        RecordHeaders h = new RecordHeaders();
        h.add(DeadLetterPublisher.APP, app.getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterPublisher.ERROR_CLASS, error.getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterPublisher.SOURCE_TOPIC, source.getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterPublisher.SOURCE_PARTITION, "2".getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterPublisher.SOURCE_OFFSET, Long.toString(offset * 10).getBytes(StandardCharsets.UTF_8));
        h.add(DeadLetterPublisher.FAILED_AT, at.getBytes(StandardCharsets.UTF_8));
        return DeadLetter.of(0, offset, 0, h);
    }

    @Test
    void lettersGroupByAppReasonAndSourceWithTheirTimeRangeAndLatest() {
        LetterGroups groups = new LetterGroups();
        groups.add(letter(1, "cache-writer", "a.B", "t", "2026-12-01T10:00:00Z"));
        groups.add(letter(2, "cache-writer", "a.B", "t", "2026-12-03T10:00:00Z"));
        groups.add(letter(3, "cache-writer", "a.B", "t", "2026-12-02T10:00:00Z"));
        groups.add(letter(4, "mongo-writer", "a.B", "t", "2026-12-02T10:00:00Z"));
        assertThat(groups.letters()).isEqualTo(4);
        assertThat(groups.groups()).hasSize(2);
        LetterGroups.Group cache = groups.groups().get(0);
        assertThat(cache.key()).isEqualTo(new LetterGroups.Key("cache-writer", "B", "t"));
        assertThat(cache.count()).isEqualTo(3);
        assertThat(cache.first()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(cache.last()).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(cache.latest().coordinates()).isEqualTo("0:2");
        assertThat(cache.latest().source()).isEqualTo("t/2@20");
    }

    @Test
    void aRecordWithoutTheHeadersReadsAsUnknownAtItsTimestamp() {
        DeadLetter bare = DeadLetter.of(1, 9, 1_000, new RecordHeaders());
        assertThat(bare.app()).isEqualTo("?");
        assertThat(bare.reason()).isEqualTo("?");
        assertThat(bare.failedAt()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(bare.valueDropped()).isFalse();
    }
}
