package dev.mtp.ingest.tools;

import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.tools.Schemas.*;

/** The output schema of the profile in force, as the strategy catalogs and get_sync_stats report it. */
final class ProfileSchema {
    private ProfileSchema() {}

    static final Map<String, Object> SCHEMA = output(
            List.of("name", "sessionStrategy", "sessionStrategySource", "interactionStrategy", "interactionStrategySource"),
            props("name", strings("app.profile.", "development", "production", "analytics"),
                    "sessionStrategy", plain("string", "Session strategy of writes that name none."),
                    "sessionStrategySource", strings("Where it comes from.", "profile",
                            "app.persistence.default-session-strategy"),
                    "interactionStrategy", plain("string", "Interaction strategy of writes that name none."),
                    "interactionStrategySource", strings("Where it comes from.", "profile",
                            "app.persistence.default-interaction-strategy")));
}
