package dev.mtp.common.usage;

import dev.mtp.common.usage.UseCase.AccessFrequency;
import dev.mtp.common.usage.UseCase.DataSize;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionTreeTest {

    @Test
    void everyLeafOfTheSeedsTree() {
        assertThat(level(AccessFrequency.HIGH, DataSize.SMALL, null, null)).isEqualTo(CachingLevel.CRITICAL_ONLY);
        assertThat(level(AccessFrequency.HIGH, DataSize.MEDIUM, null, null)).isEqualTo(CachingLevel.WITH_CONTEXT);
        assertThat(level(AccessFrequency.HIGH, DataSize.LARGE, null, true)).isEqualTo(CachingLevel.FULL);
        assertThat(level(AccessFrequency.HIGH, DataSize.LARGE, null, false)).isEqualTo(CachingLevel.WITH_CONTEXT);
        assertThat(level(AccessFrequency.MEDIUM, null, true, null)).isEqualTo(CachingLevel.WITH_CONTEXT);
        assertThat(level(AccessFrequency.MEDIUM, null, false, null)).isEqualTo(CachingLevel.CRITICAL_ONLY);
        assertThat(level(AccessFrequency.LOW, DataSize.LARGE, true, true)).isEqualTo(CachingLevel.NONE);
    }

    @Test
    void thePathNamesTheQuestionsAnswered() {
        assertThat(DecisionTree.decide(new UseCase(AccessFrequency.HIGH, DataSize.LARGE, null, true)).path())
                .containsExactly("access frequency HIGH", "data size LARGE", "real-time required");
    }

    @Test
    void aQuestionOnThePathLeftOpenNamesItsField() {
        assertThatThrownBy(() -> DecisionTree.decide(new UseCase(AccessFrequency.HIGH, null, true, null)))
                .isInstanceOfSatisfying(DecisionTree.MissingAnswer.class, e -> assertThat(e.field()).isEqualTo("dataSize"))
                .hasMessage("dataSize: is required when accessFrequency is HIGH");
        assertThatThrownBy(() -> DecisionTree.decide(new UseCase(AccessFrequency.MEDIUM, DataSize.SMALL, null, null)))
                .hasMessage("contextNeeded: is required when accessFrequency is MEDIUM");
        assertThatThrownBy(() -> DecisionTree.decide(new UseCase(null, null, null, null)))
                .hasMessageStartingWith("accessFrequency: is required");
    }

    @Test
    void aLargeRealTimeUseCaseGetsTheFullPairWithTheSeedsSizesTtlsAndLatency() {
        Map<String, Object> advice = StrategyAdvice.forUseCase(
                new UseCase(AccessFrequency.HIGH, DataSize.LARGE, null, true)).describe();

        assertThat(advice.get("session")).isEqualTo(Map.of("strategy", "FULL_SESSION", "expectedBytesPerKey", 1500,
                "ttlSeconds", 900L, "expectedReadLatency", "1-2 ms (Redis hit)",
                "expectedReadLatencyMs", Map.of("min", 1, "max", 2)));
        assertThat(advice.get("interaction")).isEqualTo(Map.of("strategy", "FULL_INTERACTION", "expectedBytesPerKey", 2000,
                "ttlSeconds", 300L, "expectedReadLatency", "1-2 ms (Redis hit)",
                "expectedReadLatencyMs", Map.of("min", 1, "max", 2)));
        assertThat(advice).doesNotContainKey("profile");
    }

    @Test
    void aLowFrequencyUseCaseReadsFromMongoDbAtTheSeedsRetrievalLatency() {
        StrategyAdvice advice = StrategyAdvice.forUseCase(new UseCase(AccessFrequency.LOW, null, null, null));

        assertThat(advice.summary()).isEqualTo("session NONE (not cached), interaction NONE (not cached)");
        @SuppressWarnings("unchecked")
        Map<String, Object> session = (Map<String, Object>) advice.describe().get("session");
        assertThat(session).containsEntry("expectedBytesPerKey", 0).containsEntry("expectedReadLatency",
                "12-18 ms (Redis + MongoDB)");
        assertThat(advice.describe()).containsEntry("profile", "analytics");
    }

    @Test
    void thePatternTableIsTheSeeds() {
        assertThat(StrategyAdvice.forPattern(PatternType.HIGH_FREQUENCY).summary())
                .isEqualTo("session WITH_CONTEXT (~800 B, TTL 30 min), interaction RESPONSE_ONLY (~500 B, TTL 30 min)");
        assertThat(StrategyAdvice.forPattern(PatternType.HIGH_FREQUENCY).describe()).containsEntry("profile", "production")
                .containsEntry("rationale", "balances performance with memory usage");
        assertThat(StrategyAdvice.forPattern(PatternType.REAL_TIME).summary())
                .isEqualTo("session FULL_SESSION (~1500 B, TTL 15 min), interaction FULL_INTERACTION (~2000 B, TTL 5 min)");
        assertThat(StrategyAdvice.forPattern(PatternType.ANALYTICAL).summary())
                .isEqualTo("session CRITICAL_ONLY (~200 B, TTL 60 min), interaction NONE (not cached)");
        assertThat(StrategyAdvice.forPattern(PatternType.ARCHIVAL).matchingProfile()).hasValueSatisfying(
                profile -> assertThat(profile.configName()).isEqualTo("analytics"));
    }

    @Test
    void anUnknownPatternTypeListsTheValidOnes() {
        assertThatThrownBy(() -> PatternType.parse("BURSTY"))
                .hasMessage("'BURSTY' is not a pattern type; valid: HIGH_FREQUENCY, REAL_TIME, ANALYTICAL, ARCHIVAL");
    }

    private static CachingLevel level(AccessFrequency f, DataSize s, Boolean context, Boolean realTime) {
        return DecisionTree.decide(new UseCase(f, s, context, realTime)).level();
    }
}
