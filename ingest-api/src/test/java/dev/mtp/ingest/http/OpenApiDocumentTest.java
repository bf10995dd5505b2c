package dev.mtp.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mtp.ingest.application.Requests;
import dev.mtp.ingest.tools.AnalyzePatternsTool;
import dev.mtp.ingest.tools.RecommendationsTool;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/api/openapi.yaml describes what the JSON API serves: its paths, the fields each write takes and
 * the arguments of the usage endpoints. */
class OpenApiDocumentTest {
    private static final Path DOCUMENT = Path.of("..", "docs", "api", "openapi.yaml");

    @Test
    void theDocumentListsEveryPathAndTheFieldsTheParserTakes() throws Exception {
        JsonNode api = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(DOCUMENT));

        assertThat(names(api.get("paths"))).containsExactlyInAnyOrder(
                "/api/v1/sessions", "/api/v1/sessions/{sessionId}", "/api/v1/interactions",
                "/api/v1/interactions/{interactionId}", "/api/v1/evaluations", "/api/v1/batch",
                "/api/v1/sync/stats", "/api/v1/sync/load", "/api/v1/usage/analysis", "/api/v1/usage/recommendations");
        JsonNode schemas = api.at("/components/schemas");
        assertThat(names(schemas.at("/PersistSession/properties"))).isEqualTo(Requests.SESSION_FIELDS);
        assertThat(names(schemas.at("/UpdateSession/properties"))).isEqualTo(Requests.SESSION_FIELDS);
        assertThat(names(schemas.at("/PersistInteraction/properties"))).isEqualTo(Requests.INTERACTION_FIELDS);
        assertThat(names(schemas.at("/PersistEvaluation/properties"))).isEqualTo(Requests.EVALUATION_FIELDS);
        assertThat(parameters(api.at("/paths/~1api~1v1~1usage~1analysis/get/parameters")))
                .isEqualTo(AnalyzePatternsTool.ARGUMENTS);
        assertThat(parameters(api.at("/paths/~1api~1v1~1usage~1recommendations/get/parameters")))
                .isEqualTo(RecommendationsTool.ARGUMENTS);
        assertThat(api.get("openapi").asText()).startsWith("3.1");
    }

    private static Set<String> parameters(JsonNode list) {
        Set<String> names = new HashSet<>();
        list.forEach(parameter -> names.add(parameter.get("name").asText()));
        return names;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
