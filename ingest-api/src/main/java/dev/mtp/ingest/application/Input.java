package dev.mtp.ingest.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtp.common.event.Ids;
import dev.mtp.common.json.Json;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed, validating access to the fields of one write request: a tool call's arguments, a JSON API
 * body, or one item of a batch. Every failure is an {@link InvalidInputException} naming the field
 * (under this input's path prefix) and the rule it breaks.
 *
 * <p>User maps (context, metadata, evaluationData) are checked here for depth, size and keys. Keys
 * that contain {@code .} or start with {@code $} are refused (docs/decisions/0004): they are never
 * legitimate in a chat service's maps, and refusing them at the edge means no sink ever has to tell
 * data from an operator (design.md invariant 7).
 */
public final class Input {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private final ObjectNode fields;
    private final String prefix;
    private final InputLimits limits;

    /**
     * @param fields the request's JSON object; null or JSON null means no fields
     * @param prefix path of this object in the request, "" at the top level (e.g. "operations[2].arguments")
     */
    public Input(JsonNode fields, String prefix, InputLimits limits) {
        this.prefix = prefix;
        this.limits = limits;
        if (fields == null || fields.isNull() || fields.isMissingNode()) {
            this.fields = Json.mapper().createObjectNode();
        } else if (fields instanceof ObjectNode object) {
            this.fields = object;
        } else {
            throw new InvalidInputException(prefix.isEmpty() ? "(body)" : prefix, "must be a JSON object");
        }
    }

    public static Input of(JsonNode fields, InputLimits limits) {
        return new Input(fields, "", limits);
    }

    public InputLimits limits() {
        return limits;
    }

    /** The path of a field of this input, as errors name it. */
    public String path(String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    public InvalidInputException invalid(String name, String rule) {
        return new InvalidInputException(path(name), rule);
    }

    public boolean has(String name) {
        JsonNode node = fields.get(name);
        return node != null && !node.isNull();
    }

    public String requiredId(String name) {
        return optionalId(name).orElseThrow(() -> invalid(name, "is required"));
    }

    public Optional<String> optionalId(String name) {
        return optionalString(name).map(id -> {
            if (!Ids.isValid(id)) {
                throw invalid(name, Ids.RULE);
            }
            return id;
        });
    }

    public String requiredString(String name, int maxChars) {
        return optionalString(name, maxChars).orElseThrow(() -> invalid(name, "is required"));
    }

    public Optional<String> optionalString(String name, int maxChars) {
        return optionalString(name).map(value -> {
            if (value.isBlank()) {
                throw invalid(name, "must not be blank");
            }
            if (value.length() > maxChars) {
                throw invalid(name, "must be at most " + maxChars + " characters, was " + value.length());
            }
            return value;
        });
    }

    /** Free text such as an interaction's request or response: may be empty, bounded by maxTextChars. */
    public Optional<String> optionalText(String name) {
        return optionalString(name).map(value -> {
            if (value.length() > limits.maxTextChars()) {
                throw invalid(name, "must be at most " + limits.maxTextChars() + " characters, was " + value.length());
            }
            return value;
        });
    }

    private Optional<String> optionalString(String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw invalid(name, "must be a string, was " + kind(node));
        }
        return Optional.of(node.textValue());
    }

    public Optional<Long> optionalLong(String name, long min, long max) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid(name, "must be an integer, was " + kind(node));
        }
        long value = node.longValue();
        if (value < min || value > max) {
            throw invalid(name, "must be between " + min + " and " + max + ", was " + value);
        }
        return Optional.of(value);
    }

    public Optional<Boolean> optionalBoolean(String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw invalid(name, "must be true or false, was " + kind(node));
        }
        return Optional.of(node.booleanValue());
    }

    /** A user map, checked for depth, size and keys; the result keeps the request's key order. */
    public Optional<Map<String, Object>> optionalMap(String name) {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw invalid(name, "must be an object, was " + kind(node));
        }
        checkTree(node, path(name), 1);
        int bytes = compactSize(node);
        if (bytes > limits.maxMapBytes()) {
            throw invalid(name, "must be at most " + limits.maxMapBytes() + " bytes as JSON, was " + bytes);
        }
        return Optional.of(Json.mapper().convertValue(node, MAP));
    }

    public <T> Optional<T> optionalParsed(String name, Function<String, T> parser) {
        return optionalString(name).map(value -> {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                String message = e instanceof dev.mtp.common.event.InvalidEventException invalid ? invalid.rule() : e.getMessage();
                throw invalid(name, message);
            }
        });
    }

    /** Refuses any field not in {@code known}: a misspelt field must not be silently dropped. */
    public void allowOnly(java.util.Set<String> known) {
        Iterator<String> names = fields.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw invalid(name, "is not a field of this request; fields: " + String.join(", ", known));
            }
        }
    }

    private void checkTree(JsonNode node, String path, int depth) {
        if (depth > limits.maxMapDepth()) {
            throw new InvalidInputException(path, "nests deeper than " + limits.maxMapDepth() + " levels");
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String key = entry.getKey();
                String childPath = childPath(path, key);
                checkKey(childPath, key);
                if (entry.getValue().isContainerNode()) {
                    checkTree(entry.getValue(), childPath, depth + 1);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isContainerNode()) {
                    checkTree(node.get(i), path + "[" + i + "]", depth + 1);
                }
            }
        }
    }

    private void checkKey(String path, String key) {
        if (key.isEmpty()) {
            throw new InvalidInputException(path, "keys must not be empty");
        }
        if (key.length() > limits.maxKeyLength()) {
            throw new InvalidInputException(path, "keys must be at most " + limits.maxKeyLength() + " characters");
        }
        if (key.indexOf('.') >= 0) {
            throw new InvalidInputException(path, "keys must not contain '.' (MongoDB reads it as a path)");
        }
        if (key.charAt(0) == '$') {
            throw new InvalidInputException(path, "keys must not start with '$' (MongoDB reads it as an operator)");
        }
        if (key.indexOf('\0') >= 0) {
            throw new InvalidInputException(path, "keys must not contain the NUL character");
        }
    }

    private static String childPath(String parent, String key) {
        return PLAIN_KEY.matcher(key).matches() ? parent + "." + key
                : parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    private static int compactSize(JsonNode node) {
        try {
            return Json.mapper().writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree did not serialize", e);
        }
    }

    static String kind(JsonNode node) {
        if (node.isTextual()) return "a string";
        if (node.isNumber()) return "a number";
        if (node.isBoolean()) return "a boolean";
        if (node.isArray()) return "an array";
        if (node.isObject()) return "an object";
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
