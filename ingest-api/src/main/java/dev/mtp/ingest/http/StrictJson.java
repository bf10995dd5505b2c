package dev.mtp.ingest.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.mtp.common.json.Json;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The one way a request body becomes JSON, on every adapter (JSON API, batch, bare MCP calls, the MCP transports'
 * screen): exactly one JSON value, in well-formed UTF-8, without duplicate keys (nested ones included) or unpaired
 * surrogate escapes, at most {@link Json#MAX_NESTING_DEPTH} levels deep. Lenient parsing would store something
 * other than what the client meant: the last of two equal keys, only the first of two objects, U+FFFD for a bad byte.
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
        } catch (StreamConstraintsException e) {
            throw new MalformedJsonException(e.getMessage() != null && e.getMessage().contains("nesting depth")
                    ? "nests deeper than " + Json.MAX_NESTING_DEPTH + " levels"
                    : "holds a number, key or text longer than the parser accepts");
        } catch (JsonParseException e) {
            throw new MalformedJsonException(duplicateOrSyntax(e));
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException("is not well-formed JSON" + at(e.getLocation()));
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array failed", e);
        }
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
