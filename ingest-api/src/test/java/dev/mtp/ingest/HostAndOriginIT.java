package dev.mtp.ingest;

import dev.mtp.common.json.Json;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static dev.mtp.ingest.StrictBodiesIT.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS rebinding: a page whose name an attacker pointed at this server sends its own name as Host and, for a
 * same-origin request, no Origin at all. Host is checked on every path (loopback names by default while the server is
 * bound to loopback); Origin is parsed and compared by scheme, host and port, never by prefix.
 */
@RealServers
class HostAndOriginIT {
    static final List<String> PATHS = List.of("/api/v1/sessions/session-123", "/sse", "/mcp", "/mcp/message",
            "/api/v1/sync/load");
    @RegisterExtension
    static final IngestUnderTest ingest = IngestUnderTest.perClass(Map.of());

    @Test
    void aForeignHostIsRefusedOnEveryPath() throws Exception {
        for (String path : PATHS) {
            RawHttp.Response response = RawHttp.exchange(ingest.port(), "GET", path, null,
                    "Host: attacker.rebind.example:" + ingest.port(), "Accept: text/event-stream, application/json");

            assertThat(response.status()).as(path).isEqualTo(421);
            assertThat(Json.mapper().readTree(response.body()).get("detail").asText()).as(path)
                    .contains("attacker.rebind.example").contains("app.http.allowed-hosts");
        }
        RawHttp.Response noHost = RawHttp.exchange(ingest.port(), "GET", "/api/v1/sync/load", null);
        assertThat(noHost.status()).isIn(400, 421);
    }

    @Test
    void loopbackNamesWithAnyPortPass() throws Exception {
        for (String host : List.of("localhost:" + ingest.port(), "127.0.0.1:" + ingest.port(), "[::1]:8080", "localhost",
                "LOCALHOST:1")) {
            RawHttp.Response response = RawHttp.exchange(ingest.port(), "GET", "/api/v1/sync/load", null, "Host: " + host);

            assertThat(response.status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void originsAreComparedBySchemeHostAndPort() throws Exception {
        for (String origin : List.of("http://localhost:8080.evil.example", "http://localhost:abc", "http://localhost.evil",
                "https://localhost:3000", "http://localhost:3000/x", "http://user@localhost:3000", "null")) {
            RawHttp.Response response = RawHttp.exchange(ingest.port(), "POST", "/api/v1/sessions",
                    bytes("{\"sessionId\":\"o-1\",\"userId\":\"u-1\"}"), "Host: localhost", "Origin: " + origin,
                    "Content-Type: application/json");

            assertThat(response.status()).as(origin).isEqualTo(403);
            assertThat(response.body()).as(origin).contains("app.http.allowed-origins");
        }
        for (String origin : List.of("http://localhost:3000", "http://127.0.0.1:1", "http://[::1]:65535", "http://localhost")) {
            RawHttp.Response response = RawHttp.exchange(ingest.port(), "GET", "/api/v1/sync/load", null,
                    "Host: localhost", "Origin: " + origin);

            assertThat(response.status()).as(origin).isEqualTo(200);
        }
    }

    @Test
    void configuredHostsReplaceTheDefault(TestNamespace ns) throws Exception {
        try (IngestUnderTest configured = IngestUnderTest.start(ns, Map.of("APP_HTTP_ALLOWED_HOSTS", "ingest.example.com,10.0.0.5:8080"))) {
            assertThat(RawHttp.exchange(configured.port(), "GET", "/api/v1/sync/load", null, "Host: ingest.example.com:443")
                    .status()).isEqualTo(200);
            assertThat(RawHttp.exchange(configured.port(), "GET", "/api/v1/sync/load", null, "Host: 10.0.0.5:8080")
                    .status()).isEqualTo(200);
            assertThat(RawHttp.exchange(configured.port(), "GET", "/api/v1/sync/load", null, "Host: 10.0.0.5:8081")
                    .status()).isEqualTo(421);
            assertThat(RawHttp.exchange(configured.port(), "GET", "/api/v1/sync/load", null, "Host: localhost")
                    .status()).isEqualTo(421);
        }
    }
}
