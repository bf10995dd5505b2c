package dev.mtp.ingest.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.mtp.common.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way a request body becomes JSON, on every adapter (JSON API, batch, bare MCP calls, the MCP transports'
 * screen): exactly one JSON value, in well-formed UTF-8, without duplicate keys (nested ones included) or unpaired
 * surrogate escapes, at most {@link Json#MAX_NESTING_DEPTH} levels deep. Lenient parsing would store something
 * other than what the client meant: the last of two equal keys, only the first of two objects, U+FFFD for a bad byte.
 *
 * <p>Two readings under the same rules and words: {@link #parse} gives a tree, for the MCP transports' screen, which
 * looks at a message's shape; {@link #readObject} reads a write request in one streaming pass straight into the plain
 * values the contract's records carry (maps in request order, lists, strings, Integer/Long/BigInteger, Double,
 * Boolean, null), so the bodies every write sends are neither built as a tree nor converted again (StrictJsonTest
 * holds both to the same refusals).
 */
public final class StrictJson {
    private static final ObjectReader READER = Json.mapper().reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private static final String DUPLICATE = "Duplicate field '";

    private StrictJson() {}

    /** @throws MalformedJsonException naming the rule the body breaks */
    public static JsonNode parse(byte[] body) {
        checkEncoding(body);
        try (JsonParser parser = READER.createParser(body)) {
            JsonNode root = READER.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new MalformedJsonException("is empty; send one JSON value");
            }
            JsonLocation end = parser.currentLocation();
            if (hasMore(parser)) {
                throw new MalformedJsonException("holds data after the JSON value (from line " + end.getLineNr()
                        + ", column " + end.getColumnNr() + "); send exactly one JSON value");
            }
            String unpaired = unpairedSurrogateAt(root);
            if (unpaired != null) {
                throw new MalformedJsonException("holds an unpaired UTF-16 surrogate escape (\\ud800-\\udfff without "
                        + "its pair) in " + (unpaired.isEmpty() ? "the value" : unpaired.startsWith(".") ? unpaired.substring(1) : unpaired)
                        + "; text must be Unicode characters");
            }
            return root;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** The parser's failure in the edge's own words: both readers refuse with the same messages. */
    private static RuntimeException malformed(IOException e) {
        if (e instanceof StreamConstraintsException) {
            return new MalformedJsonException(e.getMessage() != null && e.getMessage().contains("nesting depth")
                    ? "nests deeper than " + Json.MAX_NESTING_DEPTH + " levels"
                    : "holds a number, key or text longer than the parser accepts");
        }
        if (e instanceof JsonParseException parse) {
            return new MalformedJsonException(duplicateOrSyntax(parse));
        }
        if (e instanceof JsonProcessingException processing) {
            return new MalformedJsonException("is not well-formed JSON" + at(processing.getLocation()));
        }
        return new IllegalStateException("reading a byte array failed", e);
    }

    /**
     * A write request's body, which must be one JSON object, as plain values.
     *
     * @throws MalformedJsonException naming the rule the body breaks
     * @throws NotAnObjectException when it is well-formed JSON but not an object
     */
    public static Map<String, Object> readObject(byte[] body) {
        checkEncoding(body);
        try (JsonParser parser = READER.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedJsonException("is empty; send one JSON value");
            }
            Map<String, Object> object = null;
            if (first == JsonToken.START_OBJECT) {
                object = object(parser, "");
            } else if (first.isScalarValue()) {
                parser.finishToken();
            } else {
                parser.skipChildren();
            }
            JsonLocation end = parser.currentLocation();
            if (hasMoreThanWhitespace(body, (int) end.getByteOffset())) {
                throw new MalformedJsonException("holds data after the JSON value (from line " + end.getLineNr()
                        + ", column " + end.getColumnNr() + "); send exactly one JSON value");
            }
            if (object == null) {
                throw new NotAnObjectException();
            }
            return object;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** The body is well-formed JSON, but a write request must be an object. */
    public static final class NotAnObjectException extends RuntimeException {
        NotAnObjectException() {
            super("the body must be a JSON object", null, false, false);
        }
    }

    private static Map<String, Object> object(JsonParser parser, String path) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            // the parser refuses a repeated key itself (STRICT_DUPLICATE_DETECTION), as for the tree
            String key = parser.currentName();
            if (hasUnpairedSurrogate(key)) {
                throw unpaired(path + ".(a key)");
            }
            JsonToken token = parser.nextToken();
            object.put(key, token.isStructStart() ? value(parser, token, path + "." + key)
                    : scalar(parser, token, path, key, -1));
        }
        return object;
    }

    private static List<Object> array(JsonParser parser, String path) throws IOException {
        List<Object> array = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            array.add(token.isStructStart() ? value(parser, token, path + "[" + array.size() + "]")
                    : scalar(parser, token, path, null, array.size()));
        }
        return array;
    }

    private static Object value(JsonParser parser, JsonToken token, String path) throws IOException {
        return token == JsonToken.START_OBJECT ? object(parser, path) : array(parser, path);
    }

    /** A scalar's path (its key, or its index when key is null) is spelt out only when it breaks a rule. */
    private static Object scalar(JsonParser parser, JsonToken token, String parent, String key, int index)
            throws IOException {
        return switch (token) {
            case VALUE_STRING -> {
                String text = parser.getText();
                if (hasUnpairedSurrogate(text)) {
                    throw unpaired(key != null ? parent + "." + key : parent + "[" + index + "]");
                }
                yield text;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            // the parser reports malformed input itself; a value cannot start with anything else
            default -> throw new IllegalStateException("the JSON parser gave " + token + " where a value starts");
        };
    }

    private static MalformedJsonException unpaired(String path) {
        return new MalformedJsonException("holds an unpaired UTF-16 surrogate escape (\\ud800-\\udfff without its pair) in "
                + (path.startsWith(".") ? path.substring(1) : path) + "; text must be Unicode characters");
    }

    private static boolean hasMoreThanWhitespace(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return true;
            }
        }
        return false;
    }

    private static void checkEncoding(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
            throw new MalformedJsonException("starts with a byte order mark; send UTF-8 without one (RFC 8259)");
        }
        int invalid = Utf8.firstInvalid(body);
        if (invalid >= 0) {
            throw new MalformedJsonException(String.format("is not valid UTF-8 (byte 0x%02x at offset %d); JSON is "
                    + "exchanged as UTF-8 (RFC 8259)", body[invalid] & 0xff, invalid));
        }
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                // Never part of JSON text, but what UTF-16 and UTF-32, which the parser would detect and accept, hold.
                throw new MalformedJsonException("holds a NUL byte at offset " + i + "; send UTF-8, not UTF-16 or UTF-32");
            }
        }
    }

    private static boolean hasMore(JsonParser parser) throws IOException {
        try {
            return parser.nextToken() != null;
        } catch (JsonProcessingException e) {
            return true;
        }
    }

    private static String duplicateOrSyntax(JsonParseException e) {
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith(DUPLICATE) && e.getProcessor() != null) {
            String name = e.getProcessor().getParsingContext().getCurrentName();
            return "repeats the key '" + name + "'" + at(e.getLocation()) + "; a key may appear once per object";
        }
        return "is not well-formed JSON" + at(e.getLocation());
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * @return the path, below {@code node}, of the first text or key holding an unpaired surrogate ("" for the node
     * itself), or null; built only on the way back from a find, so a clean body costs no strings
     */
    private static String unpairedSurrogateAt(JsonNode node) {
        if (node.isTextual()) {
            return hasUnpairedSurrogate(node.textValue()) ? "" : null;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (hasUnpairedSurrogate(field.getKey())) {
                    return ".(a key)";
                }
                String found = unpairedSurrogateAt(field.getValue());
                if (found != null) {
                    return "." + field.getKey() + found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = unpairedSurrogateAt(node.get(i));
                if (found != null) {
                    return "[" + i + "]" + found;
                }
            }
        }
        return null;
    }

    static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
