package dev.mtp.common.strategy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The strategies used when a write names none: the profile's, unless configuration names one
 * ({@code app.persistence.default-*}), which wins over the profile. A request's own strategy wins over both.
 */
public record StrategyDefaults(StrategyProfile profile, SessionCacheStrategy session, InteractionCacheStrategy interaction,
                               boolean sessionConfigured, boolean interactionConfigured) {

    public static StrategyDefaults of(StrategyProfile profile, Optional<SessionCacheStrategy> configuredSession,
                                      Optional<InteractionCacheStrategy> configuredInteraction) {
        return new StrategyDefaults(profile,
                configuredSession.orElse(profile.sessionStrategy()),
                configuredInteraction.orElse(profile.interactionStrategy()),
                configuredSession.isPresent(), configuredInteraction.isPresent());
    }

    public static StrategyDefaults of(StrategyProfile profile) {
        return of(profile, Optional.empty(), Optional.empty());
    }

    /** How the profile in force is reported by the tools: its name, the defaults and where each comes from. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", profile.configName());
        out.put("sessionStrategy", session.name());
        out.put("sessionStrategySource", sessionConfigured ? "app.persistence.default-session-strategy" : "profile");
        out.put("interactionStrategy", interaction.name());
        out.put("interactionStrategySource",
                interactionConfigured ? "app.persistence.default-interaction-strategy" : "profile");
        return out;
    }

    /** Reads back what {@link #describe()} gave (ops-cli reads the profile an ingest instance reported). */
    public static StrategyDefaults fromDescription(Map<?, ?> described) {
        return new StrategyDefaults(StrategyProfile.fromConfigName(String.valueOf(described.get("name"))),
                SessionCacheStrategy.parse(String.valueOf(described.get("sessionStrategy"))),
                InteractionCacheStrategy.parse(String.valueOf(described.get("interactionStrategy"))),
                !"profile".equals(described.get("sessionStrategySource")),
                !"profile".equals(described.get("interactionStrategySource")));
    }

    /** One line for logs and tool texts, e.g. {@code development (FULL_SESSION / WITH_CONTEXT)}. */
    public String summary() {
        return profile.configName() + " (" + session.name() + (sessionConfigured ? " configured" : "")
                + " / " + interaction.name() + (interactionConfigured ? " configured" : "") + ")";
    }
}
