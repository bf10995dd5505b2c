package dev.mtp.common.strategy;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrategyDefaultsTest {

    @Test
    void eachProfileSuppliesItsPairWhenConfigurationNamesNone() {
        assertThat(StrategyDefaults.of(StrategyProfile.DEVELOPMENT).summary())
                .isEqualTo("development (FULL_SESSION / WITH_CONTEXT)");
        assertThat(StrategyDefaults.of(StrategyProfile.PRODUCTION).summary())
                .isEqualTo("production (WITH_CONTEXT / RESPONSE_ONLY)");
        assertThat(StrategyDefaults.of(StrategyProfile.ANALYTICS).summary()).isEqualTo("analytics (NONE / NONE)");
    }

    @Test
    void aConfiguredDefaultWinsOverTheProfileAndSaysSo() {
        StrategyDefaults defaults = StrategyDefaults.of(StrategyProfile.ANALYTICS,
                Optional.of(SessionCacheStrategy.CRITICAL_ONLY), Optional.empty());
        assertThat(defaults.session()).isEqualTo(SessionCacheStrategy.CRITICAL_ONLY);
        assertThat(defaults.interaction()).isEqualTo(InteractionCacheStrategy.NONE);
        assertThat(defaults.describe())
                .containsEntry("name", "analytics")
                .containsEntry("sessionStrategy", "CRITICAL_ONLY")
                .containsEntry("sessionStrategySource", "app.persistence.default-session-strategy")
                .containsEntry("interactionStrategy", "NONE")
                .containsEntry("interactionStrategySource", "profile");
        assertThat(StrategyDefaults.fromDescription(defaults.describe())).isEqualTo(defaults);
    }

    @Test
    void profileNamesParseExactly() {
        assertThat(StrategyProfile.fromConfigName("analytics")).isEqualTo(StrategyProfile.ANALYTICS);
        assertThat(StrategyProfile.configNames()).containsExactly("development", "production", "analytics");
        assertThatThrownBy(() -> StrategyProfile.fromConfigName("Production"))
                .hasMessage("'Production' is not a profile; valid: development, production, analytics");
    }

    @Test
    void aPairIsMatchedToItsProfile() {
        assertThat(StrategyProfile.matching(SessionCacheStrategy.WITH_CONTEXT, InteractionCacheStrategy.RESPONSE_ONLY))
                .contains(StrategyProfile.PRODUCTION);
        assertThat(StrategyProfile.matching(SessionCacheStrategy.CRITICAL_ONLY, InteractionCacheStrategy.NONE)).isEmpty();
    }
}
