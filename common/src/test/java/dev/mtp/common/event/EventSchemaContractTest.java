package dev.mtp.common.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the published JSON Schemas (docs/schemas) equal to the records they describe. */
class EventSchemaContractTest {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @ParameterizedTest
    @EnumSource(EventType.class)
    void envelopePropertiesAreTheRecordComponents(EventType type) throws IOException {
        JsonNode schema = schemaJson(type);
        Set<String> expected = componentNames(EventEnvelope.class);
        if (type.cachedEntity() == null) {
            expected.remove("cacheStrategy");
        }

        assertThat(fieldNames(schema.get("properties"))).isEqualTo(expected);
        assertThat(schema.get("properties").get("type").get("const").asText()).isEqualTo(type.wireName());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void payloadPropertiesAndRequiredFieldsAreTheRecords(EventType type) throws IOException {
        JsonNode payload = schemaJson(type).get("properties").get("payload");

        assertThat(fieldNames(payload.get("properties"))).isEqualTo(componentNames(type.payloadType()));
        assertThat(texts(payload.get("required"))).isEqualTo(requiredComponentNames(type.payloadType()));
    }

    @ParameterizedTest
    @MethodSource("dev.mtp.common.event.SampleEvents#oneOfEachType")
    void whatTheCodecWritesIsValidAgainstItsSchema(EventEnvelope event) throws IOException {
        JsonNode json = Json.mapper().readTree(EventCodec.encode(event));

        assertThat(schema(event.type()).validate(json)).isEmpty();
    }

    /** The example is what a direct producer copies (docs/producers.md): valid, and taken by every consumer. */
    @ParameterizedTest
    @EnumSource(EventType.class)
    void theSchemasOneExampleIsValidAgainstItAndDecodesAsItsType(EventType type) throws IOException {
        JsonNode examples = schemaJson(type).get("examples");
        assertThat(examples).as("examples of " + type.wireName()).isNotNull();
        assertThat(examples.size()).as("examples of " + type.wireName()).isEqualTo(1);
        JsonNode example = examples.get(0);

        assertThat(schema(type).validate(example)).isEmpty();
        assertThat(EventCodec.decode(Json.mapper().writeValueAsBytes(example)).type()).isEqualTo(type);
    }

    @ParameterizedTest
    @MethodSource("dev.mtp.common.event.SampleEvents#oneOfEachType")
    void theSchemaRejectsWhatTheCodecRejects(EventEnvelope event) throws IOException {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(EventCodec.encode(event));
        json.put("sessionId", "has space");

        assertThat(schema(event.type()).validate(json)).isNotEmpty();
    }

    private static Schema schema(EventType type) throws IOException {
        return REGISTRY.getSchema(schemaJson(type));
    }

    private static JsonNode schemaJson(EventType type) throws IOException {
        String resource = "/schemas/" + type.wireName() + ".v1.schema.json";
        try (InputStream in = EventSchemaContractTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return Json.mapper().readTree(in);
        }
    }

    private static Set<String> componentNames(Class<?> record) {
        return new HashSet<>(Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList());
    }

    private static Set<String> requiredComponentNames(Class<?> record) {
        RecordComponent[] components = record.getRecordComponents();
        Parameter[] parameters;
        try {
            parameters = record.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new)).getParameters();
        } catch (NoSuchMethodException e) {
            throw new AssertionError("no canonical constructor in " + record, e);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < components.length; i++) {
            JsonProperty property = parameters[i].getAnnotation(JsonProperty.class);
            if (property != null && property.required()) {
                names.add(components[i].getName());
            }
        }
        return names;
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> values = new HashSet<>();
        if (array != null) {
            array.forEach(node -> values.add(node.asText()));
        }
        return values;
    }
}
