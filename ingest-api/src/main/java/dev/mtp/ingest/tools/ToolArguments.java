package dev.mtp.ingest.tools;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtp.common.event.Ids;
import dev.mtp.common.json.Json;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Typed, validating access to a tool call's arguments. Every failure names the argument and the rule. */
public final class ToolArguments {
    /** A user map deeper than this is refused at the edge (context, metadata, evaluation data). */
    public static final int MAX_MAP_DEPTH = 10;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ObjectNode arguments;

    public ToolArguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) {
            this.arguments = Json.mapper().createObjectNode();
        } else if (arguments instanceof ObjectNode object) {
            this.arguments = object;
        } else {
            throw new InvalidArgumentException("arguments", "must be an object");
        }
    }

    public String requiredId(String name) {
        return optionalId(name).orElseThrow(() -> new InvalidArgumentException(name, "is required"));
    }

    public Optional<String> optionalId(String name) {
        return optionalString(name).map(id -> {
            if (!Ids.isValid(id)) {
                throw new InvalidArgumentException(name, Ids.RULE);
            }
            return id;
        });
    }

    public Optional<String> optionalString(String name) {
        JsonNode node = arguments.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new InvalidArgumentException(name, "must be a string");
        }
        return Optional.of(node.textValue());
    }

    public Optional<Long> optionalLong(String name) {
        JsonNode node = arguments.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidArgumentException(name, "must be an integer");
        }
        return Optional.of(node.longValue());
    }

    public Optional<Map<String, Object>> optionalMap(String name) {
        JsonNode node = arguments.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new InvalidArgumentException(name, "must be an object");
        }
        int depth = depth(node);
        if (depth > MAX_MAP_DEPTH) {
            throw new InvalidArgumentException(name, "must be nested at most " + MAX_MAP_DEPTH + " levels deep, was " + depth);
        }
        return Optional.of(Json.mapper().convertValue(node, MAP));
    }

    public <T> Optional<T> optionalParsed(String name, Function<String, T> parser) {
        return optionalString(name).map(value -> {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException(name, e.getMessage());
            }
        });
    }

    private static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                deepest = Math.max(deepest, depth(child));
            }
        }
        return deepest + 1;
    }
}
