package dev.mtp.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.mtp.common.json.Json;
import dev.mtp.ingest.application.FieldPaths;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a request body, one JSON object, in a single streaming pass into plain Java values: {@code LinkedHashMap}
 * (keys in request order), {@code ArrayList}, {@code String}, {@code Integer}/{@code Long}/{@code BigInteger},
 * {@code Double}, {@code Boolean} and null, the values the contract's records carry, so no tree is built and
 * converted again. Strict where a lenient reader would store something other than what was sent: the bytes must be
 * well-formed UTF-8 (no byte order mark, no UTF-16), strings must be valid Unicode (no lone surrogate escape), a key
 * may appear once per object at any depth, and nothing may follow the object.
 */
public final class StrictJsonReader {
    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    private StrictJsonReader() {}

    /** @throws MalformedBodyException naming what is wrong and, where it is a value, its path in the body */
    public static Map<String, Object> readObject(byte[] body, int length) {
        int invalid = Utf8.firstInvalid(body, length);
        if (invalid >= 0) {
            throw new MalformedBodyException("the body must be UTF-8 text: byte 0x%02X at offset %d is not"
                    .formatted(body[invalid] & 0xFF, invalid), "(body)", "UTF-8");
        }
        if (length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            throw new MalformedBodyException("the body must not start with a byte order mark", "(body)", "UTF-8");
        }
        try (JsonParser parser = FACTORY.createParser(body, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedBodyException("the body must be a JSON object", "(body)", null);
            }
            Map<String, Object> object = object(parser, null);
            // Checked on the bytes: what follows need not be JSON at all ("}garbage").
            int end = (int) parser.currentLocation().getByteOffset();
            for (int i = end; i < length; i++) {
                byte b = body[i];
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                    throw new MalformedBodyException("the body must hold one JSON object and nothing after it; found "
                            + (length - i) + " more bytes at offset " + i, "(body)", "nothing after the object");
                }
            }
            return object;
        } catch (StreamConstraintsException e) {
            throw new MalformedBodyException("the body nests deeper than " + Json.MAX_NESTING_DEPTH + " levels",
                    "(body)", "nesting depth");
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException(e.getOriginalMessage() + at(e.getLocation()), null, null);
        } catch (IOException e) {
            // Parsing an array in memory does no I/O; the parser declares it nonetheless.
            throw new MalformedBodyException(e.getMessage(), null, null);
        }
    }

    private static Map<String, Object> object(JsonParser parser, Path path) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Path at = new Path(path, key, -1);
            checkText(key, at, "key");
            Object value = value(parser, parser.nextToken(), at);
            int size = object.size();
            object.put(key, value);
            if (object.size() == size) {
                String field = at.toString();
                throw new MalformedBodyException(field + ": is given twice; a key may appear once in an object",
                        field, "unique keys");
            }
        }
        return object;
    }

    private static List<Object> array(JsonParser parser, Path path) throws IOException {
        List<Object> array = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            array.add(value(parser, token, new Path(path, null, array.size())));
        }
        return array;
    }

    private static Object value(JsonParser parser, JsonToken token, Path path) throws IOException {
        return switch (token) {
            case START_OBJECT -> object(parser, path);
            case START_ARRAY -> array(parser, path);
            case VALUE_STRING -> checkText(parser.getText(), path, "value");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            // the parser reports malformed input itself; a value cannot start with anything else
            default -> throw new IllegalStateException("the JSON parser gave " + token + " where a value starts");
        };
    }

    /** A string is stored as UTF-8 downstream, where a lone surrogate has no encoding: refused, not replaced. */
    private static String checkText(String text, Path at, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < Character.MIN_SURROGATE) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                String field = at.toString();
                String rule = "text must be valid Unicode; this " + what + " holds a lone surrogate \\u%04x at character %d"
                        .formatted((int) c, i);
                throw new MalformedBodyException(field + ": " + rule, field, rule);
            }
        }
        return text;
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Where a value is: a key of an object or an index of an array, printed only for an error. */
    private record Path(Path parent, String key, int index) {
        @Override
        public String toString() {
            String above = parent == null ? "" : parent.toString();
            return key == null ? above + "[" + index + "]" : FieldPaths.child(above, key);
        }
    }
}
