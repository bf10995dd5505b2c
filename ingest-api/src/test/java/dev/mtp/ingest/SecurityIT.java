package dev.mtp.ingest;

import dev.mtp.runtime.StartFailure;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static dev.mtp.ingest.IngestUnderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production profile: API keys on every API path, Origin validation, ops endpoints open, no stack traces. */
@RealServers
class SecurityIT {
    static final String KEY = "test-key-0123456789abcdef";
    @RegisterExtension
    static final IngestUnderTest ingest = IngestUnderTest.perClass(Map.of("APP_PROFILE", "production", "APP_AUTH_API_KEYS", "other-key-0000000000," + KEY));

    @Test
    void withoutAKeyEveryApiPathAnswers401WithAChallenge() throws Exception {
        for (String path : new String[] {"/mcp/message", "/api/v1/sessions", "/mcp"}) {
            HttpResponse<String> response = ingest.send("POST", path, SeedExamplesIT.PERSIST_SESSION);

            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"mtp-ingest\"");
            assertThat(response.headers().firstValue("Connection")).as("the unread body's connection is not reused")
                    .hasValue("close");
            assertThat(json(response).get("detail").asText()).contains("Authorization: Bearer <key>").contains("X-API-Key");
        }
        assertThat(ingest.send("GET", "/sse", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongKeyIs403() throws Exception {
        HttpResponse<String> response = ingest.send("POST", "/mcp/message", SeedExamplesIT.PERSIST_SESSION,
                "Authorization", "Bearer not-a-key-of-this-service");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).get("title").asText()).isEqualTo("API key not accepted");
        assertThat(response.body()).doesNotContain(KEY);
    }

    @Test
    void theSeedCallWorksWithABearerTokenOrAnApiKeyHeader() throws Exception {
        HttpResponse<String> bearer = ingest.send("POST", "/mcp/message", SeedExamplesIT.PERSIST_SESSION,
                "Authorization", "Bearer " + KEY);
        HttpResponse<String> apiKey = ingest.send("POST", "/api/v1/sessions",
                "{\"sessionId\":\"sec-1\",\"userId\":\"u-1\"}", "X-API-Key", KEY);

        assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(200);
        assertThat(apiKey.statusCode()).as(apiKey.body()).isEqualTo(202);
    }

    @Test
    void opsEndpointsStayOpen() throws Exception {
        HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ingest.app().opsPort() + "/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(live.statusCode()).isEqualTo(200);
    }

    @Test
    void aBrowserPageFromAForeignOriginIsRefusedEvenWithAKey() throws Exception {
        HttpResponse<String> foreign = ingest.send("POST", "/mcp/message", SeedExamplesIT.PERSIST_SESSION,
                "Authorization", "Bearer " + KEY, "Origin", "http://evil.example");
        HttpResponse<String> local = ingest.send("POST", "/mcp/message", SeedExamplesIT.PERSIST_SESSION,
                "Authorization", "Bearer " + KEY, "Origin", "http://localhost:3000");

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(json(foreign).get("detail").asText()).contains("http://evil.example").contains("app.http.allowed-origins");
        assertThat(local.statusCode()).isEqualTo(200);
    }

    @Test
    void theSdksOwnErrorBodiesCarryNoStackTrace() throws Exception {
        HttpResponse<String> garbage = ingest.send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":",
                "Authorization", "Bearer " + KEY, "Accept", "application/json, text/event-stream");
        HttpResponse<String> noSession = ingest.send("POST", "/mcp",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                "Authorization", "Bearer " + KEY, "Accept", "application/json, text/event-stream", "Mcp-Session-Id", "nope");
        HttpResponse<String> badAccept = ingest.send("POST", "/mcp",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", "Authorization", "Bearer " + KEY);

        for (HttpResponse<String> response : java.util.List.of(garbage, noSession, badAccept)) {
            assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
            assertThat(response.body()).doesNotContain("stackTrace").doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(json(response).at("/error/message").asText()).isNotBlank();
        }
    }

    @Test
    void productionWithoutKeysRefusesToStart(TestNamespace ns) {
        assertThatThrownBy(() -> IngestUnderTest.start(ns, Map.of("APP_PROFILE", "production")))
                .isInstanceOfSatisfying(StartFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(2);
                    assertThat(f.line()).contains("app.auth.api-keys").contains("is required")
                            .contains("app.auth.mode=off turns them off");
                });
    }
}
