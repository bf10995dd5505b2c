package dev.mtp.common.usage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PatternClassifierTest {

    @Test
    void hardlyReadBackIsArchival() {
        PatternClassifier.Classification c = PatternClassifier.classify(features(0.05, 500, 60, 0.9));

        assertThat(c.type()).isEqualTo(PatternType.ARCHIVAL);
        assertThat(c.evidence()).contains("0.05 reads per write (archival below 0.1)");
    }

    @Test
    void readsMostlyAfterHalfAnHourAreAnalytical() {
        PatternClassifier.Classification c = PatternClassifier.classify(features(2, 500, 3_600, 0.9));

        assertThat(c.type()).isEqualTo(PatternType.ANALYTICAL);
        assertThat(c.evidence()).anySatisfy(line -> assertThat(line).startsWith("median reuse time at most 3600 s over 500"));
    }

    @Test
    void wholeEntitiesReadWithinMinutesAreRealTime() {
        assertThat(PatternClassifier.classify(features(3, 500, 120, 0.6)).type()).isEqualTo(PatternType.REAL_TIME);
    }

    @Test
    void frequentReadsOfPartsOrWithinHalfAnHourAreHighFrequency() {
        assertThat(PatternClassifier.classify(features(3, 500, 120, 0.2)).type()).isEqualTo(PatternType.HIGH_FREQUENCY);
        assertThat(PatternClassifier.classify(features(3, 500, 600, 0.9)).type()).isEqualTo(PatternType.HIGH_FREQUENCY);
    }

    @Test
    void tooFewSampledReadsIsNotJudged() {
        PatternClassifier.Classification c = PatternClassifier.classify(features(3, 5, 120, 0.6));

        assertThat(c.type()).isNull();
        assertThat(c.evidence()).anySatisfy(line -> assertThat(line).contains("at least 20 are needed"));
    }

    /**
     * From a tally over 100 s: 50 writes of 25,000 bytes, 200 reads (150 Redis hits, 50 from MongoDB) of which 40
     * needed the whole session and 60 its context; 30 sampled reuse times of 60 s and 10 of 1,200 s. So 0.5 writes/s,
     * 2 reads/s, 500 bytes per write, 4 reads per write, median reuse at most 60 s, 40% whole, 100% context or more.
     */
    @Test
    void featuresFromATally() {
        UsageTally tally = new UsageTally();
        for (int i = 0; i < 50; i++) {
            tally.write(500);
        }
        for (int i = 0; i < 200; i++) {
            ReadOutcome outcome = i < 150 ? ReadOutcome.REDIS_HIT : ReadOutcome.MONGODB_EXPIRED;
            tally.read(outcome, i < 40 ? CachingLevel.FULL : i < 100 ? CachingLevel.WITH_CONTEXT : null, 1);
        }
        for (int i = 0; i < 40; i++) {
            tally.sampledReuse(CachingLevel.CRITICAL_ONLY, i < 30 ? 60 : 1_200, 1);
        }

        PatternClassifier.Features f = PatternClassifier.Features.of(tally, 100);

        assertThat(f.writesPerSecond()).isEqualTo(0.5);
        assertThat(f.readsPerSecond()).isEqualTo(2);
        assertThat(f.meanWriteBytes()).isEqualTo(500);
        assertThat(f.readsPerWrite()).isEqualTo(4);
        assertThat(f.medianReuseSeconds()).isEqualTo(60);
        assertThat(f.fullReadShare()).isCloseTo(0.4, within(1e-9));
        assertThat(f.contextReadShare()).isCloseTo(1.0, within(1e-9));
        assertThat(PatternClassifier.classify(f).type()).isEqualTo(PatternType.HIGH_FREQUENCY);
    }

    private static PatternClassifier.Features features(double readsPerWrite, long sampled, double medianReuse, double full) {
        return new PatternClassifier.Features(1, readsPerWrite, 500, readsPerWrite, sampled, medianReuse, full, full);
    }
}
