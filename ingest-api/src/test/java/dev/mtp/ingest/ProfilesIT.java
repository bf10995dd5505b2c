package dev.mtp.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.runtime.StartFailure;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.mtp.ingest.IngestUnderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seed's environment profiles: the strategies a write that names none gets, app.persistence.default-* over them,
 * an explicit strategy over both, and auth as its own setting.
 */
@RealServers
class ProfilesIT {
    static final String KEY = "profile-key-0123456789";

    @Test
    void developmentCachesFullSessionsAndInteractionsWithContextAndNeedsNoKey(TestNamespace ns) throws Exception {
        try (IngestUnderTest ingest = IngestUnderTest.start(ns, Map.of())) {
            assertThat(strategyOf(ingest, session("dev-1", null))).isEqualTo("FULL_SESSION");
            assertThat(strategyOf(ingest, interaction("dev-1", null))).isEqualTo("WITH_CONTEXT");
            assertThat(strategyOf(ingest, session("dev-2", "CRITICAL_ONLY"))).as("an explicit strategy wins")
                    .isEqualTo("CRITICAL_ONLY");
        }
    }

    @Test
    void productionDefaultsWithAConfiguredSessionDefaultOverTheProfile(TestNamespace ns) throws Exception {
        try (IngestUnderTest ingest = IngestUnderTest.start(ns, Map.of("APP_PROFILE", "production",
                "APP_AUTH_API_KEYS", KEY, "APP_PERSISTENCE_DEFAULT_SESSION_STRATEGY", "CRITICAL_ONLY"))) {
            assertThat(strategyOf(ingest, session("prod-1", null), "X-API-Key", KEY)).isEqualTo("CRITICAL_ONLY");
            assertThat(strategyOf(ingest, interaction("prod-1", null), "X-API-Key", KEY)).isEqualTo("RESPONSE_ONLY");

            JsonNode catalog = call(ingest, "get_session_cache_strategies", "{}", "X-API-Key", KEY);
            assertThat(catalog.at("/default").asText()).isEqualTo("CRITICAL_ONLY");
            assertThat(catalog.at("/profile/name").asText()).isEqualTo("production");
            assertThat(catalog.at("/profile/sessionStrategySource").asText())
                    .isEqualTo("app.persistence.default-session-strategy");
            JsonNode stats = call(ingest, "get_sync_stats", "{}", "X-API-Key", KEY);
            assertThat(stats.at("/profile/interactionStrategy").asText()).isEqualTo("RESPONSE_ONLY");
            assertThat(stats.at("/profile/interactionStrategySource").asText()).isEqualTo("profile");
        }
    }

    @Test
    void analyticsCachesNothingByDefaultAndMayTurnKeysOffExplicitly(TestNamespace ns) throws Exception {
        try (IngestUnderTest ingest = IngestUnderTest.start(ns, Map.of("APP_PROFILE", "analytics", "APP_AUTH_MODE", "off"))) {
            assertThat(strategyOf(ingest, session("an-1", null))).isEqualTo("NONE");
            assertThat(strategyOf(ingest, interaction("an-1", null))).isEqualTo("NONE");
            assertThat(call(ingest, "get_interaction_cache_strategies", "{}").at("/profile/name").asText())
                    .isEqualTo("analytics");
        }
    }

    @Test
    void outsideDevelopmentKeysAreRequiredUnlessTurnedOff(TestNamespace ns) {
        assertThatThrownBy(() -> IngestUnderTest.start(ns, Map.of("APP_PROFILE", "analytics")))
                .isInstanceOfSatisfying(StartFailure.class, f -> assertThat(f.line()).contains("app.auth.api-keys")
                        .contains("auto with app.profile=analytics"));
        assertThatThrownBy(() -> IngestUnderTest.start(ns, Map.of("APP_PROFILE", "staging")))
                .isInstanceOfSatisfying(StartFailure.class, f -> assertThat(f.line())
                        .contains("app.profile: 'staging' is not one of development, production, analytics"));
    }

    private static String session(String id, String strategy) {
        return "{\"name\":\"persist_session\",\"arguments\":{\"sessionId\":\"" + id + "\",\"userId\":\"u-1\""
                + (strategy == null ? "" : ",\"cacheStrategy\":\"" + strategy + "\"") + "}}";
    }

    private static String interaction(String sessionId, String strategy) {
        return "{\"name\":\"persist_interaction\",\"arguments\":{\"sessionId\":\"" + sessionId + "\",\"role\":\"user\","
                + "\"request\":\"hello\"" + (strategy == null ? "" : ",\"cacheStrategy\":\"" + strategy + "\"") + "}}";
    }

    private static String strategyOf(IngestUnderTest ingest, String params, String... headers) throws Exception {
        return bare(ingest, params, headers).at("/structuredContent/cacheStrategy").asText();
    }

    private static JsonNode call(IngestUnderTest ingest, String tool, String arguments, String... headers) throws Exception {
        return bare(ingest, "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}", headers).get("structuredContent");
    }

    /** The seed's bare call: POST /mcp/message without a JSON-RPC envelope. */
    private static JsonNode bare(IngestUnderTest ingest, String params, String... headers) throws Exception {
        HttpResponse<String> response = ingest.send("POST", "/mcp/message",
                "{\"method\":\"tools/call\",\"params\":" + params + "}", headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("isError").asBoolean()).as(response.body()).isFalse();
        return body;
    }
}
