package dev.mtp.ops.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldMappingTest {

    private static FieldMapping parse(String json) throws Exception {
        JsonNode root = Json.mapper().readTree(json);
        return FieldMapping.parse(root, "mapping.json");
    }

    @Test
    void readsMappedPathsIntoNestedObjectsAndUnmappedFieldsByTheirName() throws Exception {
        FieldMapping mapping = parse("{\"sessions\": {\"sessionId\": \"_id\", \"userId\": \"owner.id\"}}");
        Map<String, Object> old = Map.of("_id", "s-1", "owner", Map.of("id", "u-1"), "status", "active",
                "legacy", true, "userId", "not this one");
        assertThat(mapping.apply(EntityKind.SESSIONS, old))
                .containsExactlyInAnyOrderEntriesOf(Map.of("sessionId", "s-1", "userId", "u-1", "status", "active"));
    }

    @Test
    void aPathThroughSomethingThatIsNotAnObjectFindsNothing() throws Exception {
        FieldMapping mapping = parse("{\"sessions\": {\"userId\": \"owner.id\"}}");
        assertThat(mapping.apply(EntityKind.SESSIONS, Map.of("owner", List.of("u-1")))).isEmpty();
    }

    @Test
    void refusesWhatIsNotAKindAFieldOrAPath() {
        assertThatThrownBy(() -> parse("{\"chats\": {}}"))
                .hasMessage("mapping.json: 'chats' is not one of sessions, interactions, evaluations");
        assertThatThrownBy(() -> parse("{\"interactions\": {\"answer\": \"a\"}}"))
                .hasMessageStartingWith("mapping.json: interactions.answer is not a field of interactions; fields: ");
        assertThatThrownBy(() -> parse("{\"evaluations\": {\"entityId\": \"of..id\"}}"))
                .hasMessage("mapping.json: evaluations.entityId must be a path in the old record (names separated "
                        + "by dots), was \"of..id\"");
        assertThatThrownBy(() -> parse("{\"evaluations\": {\"entityId\": 3}}"))
                .hasMessageContaining("evaluations.entityId must be a path");
        assertThatThrownBy(() -> parse("[]")).hasMessageContaining("must be a JSON object");
    }
}
