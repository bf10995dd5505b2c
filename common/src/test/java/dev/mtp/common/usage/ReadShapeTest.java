package dev.mtp.common.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReadShapeTest {

    @Test
    void aSessionReadNeedsTheRungOfTheFieldsWithContent() {
        assertThat(session(SessionCacheStrategy.WITH_CONTEXT, Map.of("status", "active", "context", Map.of("a", 1))))
                .isEqualTo(CachingLevel.WITH_CONTEXT);
        assertThat(session(SessionCacheStrategy.WITH_CONTEXT, Map.of("status", "active", "context", Map.of(),
                "interactionCount", 0))).as("an empty context and a zero count carry nothing").isEqualTo(CachingLevel.CRITICAL_ONLY);
        assertThat(session(SessionCacheStrategy.WITH_CONTEXT, Map.of("status", "active", "interactionCount", 3)))
                .isEqualTo(CachingLevel.WITH_CONTEXT);
        assertThat(session(SessionCacheStrategy.FULL_SESSION, Map.of("metadata", Map.of("source", "web"),
                "cacheStrategy", "FULL_SESSION"))).isEqualTo(CachingLevel.FULL);
        assertThat(session(SessionCacheStrategy.FULL_SESSION, Map.of("status", "active", "cacheStrategy", "FULL_SESSION")))
                .as("the strategy's own name is bookkeeping").isEqualTo(CachingLevel.CRITICAL_ONLY);
    }

    @Test
    void aMongoDbAnswerCountsOnlyWhatTheEntitysStrategyWouldHaveReturned() {
        Map<String, Object> whole = new HashMap<>(Map.of("status", "active", "context", Map.of("a", 1),
                "metadata", Map.of("m", 2)));
        assertThat(session(SessionCacheStrategy.CRITICAL_ONLY, whole)).isEqualTo(CachingLevel.CRITICAL_ONLY);
        assertThat(session(SessionCacheStrategy.WITH_CONTEXT, whole)).isEqualTo(CachingLevel.WITH_CONTEXT);
        assertThat(session(SessionCacheStrategy.NONE, whole)).as("NONE: the essentials").isEqualTo(CachingLevel.CRITICAL_ONLY);
    }

    @Test
    void anInteractionsRequestNeedsWithContextAndItsRoleTheWhole() {
        assertThat(ReadShape.needed(EntityType.INTERACTION, InteractionCacheStrategy.FULL_INTERACTION,
                Map.of("response", "hi", "request", "hello"))).isEqualTo(CachingLevel.WITH_CONTEXT);
        assertThat(ReadShape.needed(EntityType.INTERACTION, InteractionCacheStrategy.FULL_INTERACTION,
                Map.of("response", "hi", "request", "", "role", "user"))).isEqualTo(CachingLevel.FULL);
        assertThat(ReadShape.needed(EntityType.INTERACTION, InteractionCacheStrategy.RESPONSE_ONLY,
                Map.of("response", "hi"))).isEqualTo(CachingLevel.CRITICAL_ONLY);
    }

    private static CachingLevel session(SessionCacheStrategy strategy, Map<String, ?> answer) {
        return ReadShape.needed(EntityType.SESSION, strategy, answer);
    }
}
