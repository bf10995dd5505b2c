package dev.mtp.ingest.application;

import dev.mtp.common.event.Ids;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed, validating access to the fields of one write request: a tool call's arguments, a JSON API
 * body, or one item of a batch, as plain Java values (maps, lists, strings, numbers, booleans) the
 * body was read into once. Every failure is an {@link InvalidInputException} naming the field
 * (under this input's path prefix) and the rule it breaks.
 *
 * <p>User maps (context, metadata, evaluationData) are checked here for depth, size and keys. Keys
 * that contain {@code .} or start with {@code $} are refused (docs/decisions/0004): they are never
 * legitimate in a chat service's maps, and refusing them at the edge means no sink ever has to tell
 * data from an operator (design.md invariant 7).
 */
public final class Input {
    private final Map<String, Object> fields;
    private final String prefix;
    private final InputLimits limits;

    /**
     * @param fields the request's JSON object as a map; null means no fields
     * @param prefix path of this object in the request, "" at the top level (e.g. "operations[2].arguments")
     */
    @SuppressWarnings("unchecked")
    public Input(Object fields, String prefix, InputLimits limits) {
        this.prefix = prefix;
        this.limits = limits;
        if (fields == null) {
            this.fields = Map.of();
        } else if (fields instanceof Map<?, ?> object) {
            this.fields = (Map<String, Object>) object;
        } else {
            throw new InvalidInputException(prefix.isEmpty() ? "(body)" : prefix, "must be a JSON object");
        }
    }

    public static Input of(Map<String, Object> fields, InputLimits limits) {
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
        return fields.get(name) != null;
    }

    /** The raw value of a field, for adapters that look into a request's envelope; null when absent. */
    public Object get(String name) {
        return fields.get(name);
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
        Object value = fields.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw invalid(name, "must be a string, was " + kind(value));
        }
        return Optional.of(text);
    }

    public Optional<Long> optionalLong(String name, long min, long max) {
        Object number = fields.get(name);
        if (number == null) {
            return Optional.empty();
        }
        if (!(number instanceof Integer || number instanceof Long)) {
            // BigInteger: beyond a long; Double, BigDecimal: not whole
            throw invalid(name, "must be an integer, was " + kind(number));
        }
        long value = ((Number) number).longValue();
        if (value < min || value > max) {
            throw invalid(name, "must be between " + min + " and " + max + ", was " + value);
        }
        return Optional.of(value);
    }

    public Optional<Boolean> optionalBoolean(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean b)) {
            throw invalid(name, "must be true or false, was " + kind(value));
        }
        return Optional.of(b);
    }

    /** A user map, checked for depth, size and keys; the result keeps the request's key order. */
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> optionalMap(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(name, "must be an object, was " + kind(value));
        }
        checkTree(map, path(name), 1);
        long bytes = CompactJsonSize.of(map);
        if (bytes > limits.maxMapBytes()) {
            throw invalid(name, "must be at most " + limits.maxMapBytes() + " bytes as JSON, was " + bytes);
        }
        return Optional.of((Map<String, Object>) map);
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
    public void allowOnly(Set<String> known) {
        for (String name : fields.keySet()) {
            if (!known.contains(name)) {
                throw invalid(name, "is not a field of this request; fields: " + String.join(", ", known));
            }
        }
    }

    private void checkTree(Object value, String path, int depth) {
        if (depth > limits.maxMapDepth()) {
            throw new InvalidInputException(path, "nests deeper than " + limits.maxMapDepth() + " levels");
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = (String) entry.getKey();
                checkKey(path, key);
                if (entry.getValue() instanceof Map<?, ?> || entry.getValue() instanceof List<?>) {
                    checkTree(entry.getValue(), FieldPaths.child(path, key), depth + 1);
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Map<?, ?> || list.get(i) instanceof List<?>) {
                    checkTree(list.get(i), path + "[" + i + "]", depth + 1);
                }
            }
        }
    }

    /** A key's path is spelt out only when the key breaks a rule: most keys are fine, and most maps are small. */
    private void checkKey(String parent, String key) {
        String rule = keyRule(key);
        if (rule != null) {
            throw new InvalidInputException(FieldPaths.child(parent, key), rule);
        }
    }

    private String keyRule(String key) {
        if (key.isEmpty()) {
            return "keys must not be empty";
        }
        if (key.length() > limits.maxKeyLength()) {
            return "keys must be at most " + limits.maxKeyLength() + " characters";
        }
        if (key.indexOf('.') >= 0) {
            return "keys must not contain '.' (MongoDB reads it as a path)";
        }
        if (key.charAt(0) == '$') {
            return "keys must not start with '$' (MongoDB reads it as an operator)";
        }
        if (key.indexOf('\0') >= 0) {
            return "keys must not contain the NUL character";
        }
        return null;
    }

    static String kind(Object value) {
        if (value instanceof String) return "a string";
        if (value instanceof Number) return "a number";
        if (value instanceof Boolean) return "a boolean";
        if (value instanceof List<?>) return "an array";
        if (value instanceof Map<?, ?>) return "an object";
        return "a value JSON does not have";
    }
}
