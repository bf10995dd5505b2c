package dev.mtp.common.usage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsageTallyTest {

    @Test
    void theStoredFormRoundTripsAndTalliesAddUp() {
        UsageTally tally = new UsageTally();
        tally.write(400);
        tally.read(ReadOutcome.REDIS_HIT, CachingLevel.WITH_CONTEXT, 0.7);
        tally.read(ReadOutcome.MONGODB_EXPIRED, CachingLevel.CRITICAL_ONLY, 4);
        tally.read(ReadOutcome.NOT_FOUND, null, 3);
        tally.sampledReuse(CachingLevel.WITH_CONTEXT, 90, 1000);
        tally.sampledUnknownReuse(1000);
        tally.sampledWrite(600, 1000);
        tally.expiredUnread(1000);

        UsageTally twice = UsageTally.fromMap(tally.toMap());
        twice.addAll(tally);

        assertThat(twice.writes()).isEqualTo(2);
        assertThat(twice.writeBytes()).isEqualTo(800);
        assertThat(twice.reads()).isEqualTo(6);
        assertThat(twice.outcome(ReadOutcome.MONGODB_EXPIRED)).isEqualTo(2);
        assertThat(twice.readsNeeding(CachingLevel.WITH_CONTEXT)).isEqualTo(2);
        assertThat(twice.redisLatencyMs().total()).isEqualTo(2);
        assertThat(twice.mongoLatencyMs().total()).as("a read that found nothing has no tier").isEqualTo(2);
        assertThat(twice.reuse(CachingLevel.WITH_CONTEXT).weightAtMost(120)).isEqualTo(2000);
        assertThat(twice.sampledReads()).isEqualTo(2);
        assertThat(twice.unknownReuseReads()).isEqualTo(2000);
        assertThat(twice.writeGaps().sumOfMin(3600)).isEqualTo(2 * 600 * 1000);
        assertThat(twice.sampledWrites()).isEqualTo(2000);
        assertThat(twice.expiredUnread()).isEqualTo(2000);
        assertThat(new UsageTally().isEmpty()).isTrue();
    }
}
