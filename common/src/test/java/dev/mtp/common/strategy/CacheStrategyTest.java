package dev.mtp.common.strategy;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheStrategyTest {

    @Test
    void sessionTtlsAreTheSeeds() {
        assertThat(SessionCacheStrategy.NONE.ttl()).isEmpty();
        assertThat(SessionCacheStrategy.CRITICAL_ONLY.ttl()).contains(Duration.ofHours(1));
        assertThat(SessionCacheStrategy.WITH_CONTEXT.ttl()).contains(Duration.ofMinutes(30));
        assertThat(SessionCacheStrategy.FULL_SESSION.ttl()).contains(Duration.ofMinutes(15));
    }

    @Test
    void interactionTtlsAreTheSeeds() {
        assertThat(InteractionCacheStrategy.NONE.ttl()).isEmpty();
        assertThat(InteractionCacheStrategy.RESPONSE_ONLY.ttl()).contains(Duration.ofMinutes(30));
        assertThat(InteractionCacheStrategy.WITH_CONTEXT.ttl()).contains(Duration.ofMinutes(15));
        assertThat(InteractionCacheStrategy.FULL_INTERACTION.ttl()).contains(Duration.ofMinutes(5));
    }

    @Test
    void eachSessionStrategyAddsToTheOneBelow() {
        assertThat(SessionCacheStrategy.NONE.fields()).isEmpty();
        assertThat(SessionCacheStrategy.CRITICAL_ONLY.fields()).containsExactlyInAnyOrder(
                SessionField.SESSION_ID, SessionField.USER_ID, SessionField.STATUS,
                SessionField.CREATED_AT, SessionField.UPDATED_AT, SessionField.LAST_ACTIVITY_AT);
        assertThat(SessionCacheStrategy.WITH_CONTEXT.fields())
                .containsAll(SessionCacheStrategy.CRITICAL_ONLY.fields())
                .contains(SessionField.CONTEXT, SessionField.INTERACTION_COUNT)
                .doesNotContain(SessionField.METADATA);
        assertThat(SessionCacheStrategy.FULL_SESSION.fields()).containsExactlyInAnyOrder(SessionField.values());
    }

    @Test
    void eachInteractionStrategyAddsToTheOneBelow() {
        assertThat(InteractionCacheStrategy.RESPONSE_ONLY.fields()).containsExactlyInAnyOrder(
                InteractionField.INTERACTION_ID, InteractionField.SESSION_ID,
                InteractionField.RESPONSE, InteractionField.RECORDED_AT);
        assertThat(InteractionCacheStrategy.WITH_CONTEXT.fields())
                .containsAll(InteractionCacheStrategy.RESPONSE_ONLY.fields())
                .contains(InteractionField.REQUEST, InteractionField.CONTEXT)
                .doesNotContain(InteractionField.METADATA, InteractionField.ROLE);
        assertThat(InteractionCacheStrategy.FULL_INTERACTION.fields()).containsExactlyInAnyOrder(InteractionField.values());
    }

    @Test
    void targetSizesAreTheSeedsMemoryFigures() {
        assertThat(SessionCacheStrategy.CRITICAL_ONLY.targetBytes()).isEqualTo(200);
        assertThat(InteractionCacheStrategy.RESPONSE_ONLY.targetBytes()).isEqualTo(500);
        assertThat(SessionCacheStrategy.WITH_CONTEXT.targetBytes()).isEqualTo(800);
        assertThat(SessionCacheStrategy.FULL_SESSION.targetBytes()).isEqualTo(1_500);
        assertThat(InteractionCacheStrategy.FULL_INTERACTION.targetBytes()).isEqualTo(2_000);
    }

    @Test
    void onlyNoneCachesNothing() {
        assertThat(SessionCacheStrategy.NONE.caches()).isFalse();
        assertThat(InteractionCacheStrategy.NONE.caches()).isFalse();
        assertThat(SessionCacheStrategy.CRITICAL_ONLY.caches()).isTrue();
        assertThat(InteractionCacheStrategy.RESPONSE_ONLY.caches()).isTrue();
    }

    @Test
    void parsingIsExactAndAnUnknownNameListsTheValidOnes() {
        assertThat(SessionCacheStrategy.parse("WITH_CONTEXT")).isEqualTo(SessionCacheStrategy.WITH_CONTEXT);
        assertThat(InteractionCacheStrategy.parse("WITH_CONTEXT")).isEqualTo(InteractionCacheStrategy.WITH_CONTEXT);

        assertThatThrownBy(() -> SessionCacheStrategy.parse("with_context"))
                .hasMessage("'with_context' is not a session cache strategy; valid: NONE, CRITICAL_ONLY, WITH_CONTEXT, FULL_SESSION");
        assertThatThrownBy(() -> InteractionCacheStrategy.parse("FULL_SESSION"))
                .hasMessage("'FULL_SESSION' is not an interaction cache strategy; valid: NONE, RESPONSE_ONLY, WITH_CONTEXT, FULL_INTERACTION");
        assertThatThrownBy(() -> SessionCacheStrategy.parse(null)).hasMessageContaining("valid: NONE");
    }

    @Test
    void profilesAreTheSeedsEnvironmentStrategies() {
        assertThat(StrategyProfile.DEVELOPMENT.sessionStrategy()).isEqualTo(SessionCacheStrategy.FULL_SESSION);
        assertThat(StrategyProfile.DEVELOPMENT.interactionStrategy()).isEqualTo(InteractionCacheStrategy.WITH_CONTEXT);
        assertThat(StrategyProfile.PRODUCTION.sessionStrategy()).isEqualTo(SessionCacheStrategy.WITH_CONTEXT);
        assertThat(StrategyProfile.PRODUCTION.interactionStrategy()).isEqualTo(InteractionCacheStrategy.RESPONSE_ONLY);
        assertThat(StrategyProfile.ANALYTICS.sessionStrategy()).isEqualTo(SessionCacheStrategy.NONE);
        assertThat(StrategyProfile.ANALYTICS.interactionStrategy()).isEqualTo(InteractionCacheStrategy.NONE);
    }
}
