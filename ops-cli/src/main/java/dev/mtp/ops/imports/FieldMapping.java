package dev.mtp.ops.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtp.common.json.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each field of an imported record is found in the old system's record. A mapping file is a JSON object with
 * an object per kind, each mapping a field of the pipeline to a path in the old record, dots separating nested
 * objects: {@code {"sessions": {"sessionId": "_id", "userId": "user.id", "occurredAt": "created"}}}. A field the
 * mapping does not name is read from the old record's field of the same name; fields of the old record that no
 * field reads are left out.
 */
public final class FieldMapping {

    private final Map<EntityKind, Map<String, String>> paths;

    private FieldMapping(Map<EntityKind, Map<String, String>> paths) {
        this.paths = paths;
    }

    /** Every field read from the old record's field of the same name. */
    public static FieldMapping identity() {
        return new FieldMapping(new EnumMap<>(EntityKind.class));
    }

    /** @throws IllegalArgumentException naming the file and the entry that breaks a rule */
    public static FieldMapping read(Path file) {
        ObjectMapper strict = Json.mapper().copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        try {
            root = strict.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable JSON file ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return parse(root, file.toString());
    }

    static FieldMapping parse(JsonNode root, String where) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + ": must be a JSON object with sessions, interactions or "
                    + "evaluations");
        }
        Map<EntityKind, Map<String, String>> paths = new EnumMap<>(EntityKind.class);
        for (Iterator<Map.Entry<String, JsonNode>> kinds = root.fields(); kinds.hasNext(); ) {
            Map.Entry<String, JsonNode> kindEntry = kinds.next();
            EntityKind kind;
            try {
                kind = EntityKind.fromCliName(kindEntry.getKey());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
            if (!kindEntry.getValue().isObject()) {
                throw new IllegalArgumentException(where + ": " + kind.cliName() + " must be an object of field: path");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = kindEntry.getValue().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = kind.cliName() + "." + field.getKey();
                if (!kind.fields().contains(field.getKey())) {
                    throw new IllegalArgumentException(where + ": " + name + " is not a field of " + kind.cliName()
                            + "; fields: " + String.join(", ", kind.fields()));
                }
                if (!field.getValue().isTextual() || !validPath(field.getValue().asText())) {
                    throw new IllegalArgumentException(where + ": " + name + " must be a path in the old record "
                            + "(names separated by dots), was " + field.getValue());
                }
                fields.put(field.getKey(), field.getValue().asText());
            }
            paths.put(kind, fields);
        }
        return new FieldMapping(paths);
    }

    /** The fields of the pipeline's record, read from the old record; absent and null values are left out. */
    public Map<String, Object> apply(EntityKind kind, Map<String, Object> old) {
        Map<String, String> mapped = paths.getOrDefault(kind, Map.of());
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String field : kind.fields()) {
            Object value = lookup(old, mapped.getOrDefault(field, field));
            if (value != null) {
                fields.put(field, value);
            }
        }
        return fields;
    }

    /** The paths as given, for the checkpoint's job description: another mapping is another import. */
    public String describe() {
        return paths.toString();
    }

    private static Object lookup(Map<String, Object> record, String path) {
        Object value = record;
        for (String name : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(name);
        }
        return value;
    }

    private static boolean validPath(String path) {
        return !path.isBlank() && !path.startsWith(".") && !path.endsWith(".") && !path.contains("..");
    }
}
