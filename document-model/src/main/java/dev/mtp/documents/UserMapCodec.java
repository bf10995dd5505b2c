package dev.mtp.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mtp.common.json.Json;
import org.bson.Document;
import org.bson.types.Decimal128;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How user maps (context, metadata, evaluation data) are stored so that MongoDB never reads a user's key as
 * an operator or a path (design.md invariant 7; docs/decisions/0006-mongodb-document-model.md):
 * <ul>
 *   <li>Keys are escaped reversibly: {@code %} becomes {@code %25}, {@code .} becomes {@code %2E}, {@code $}
 *       becomes {@code %24}, NUL becomes {@code %00}, and the empty key becomes {@code %}. Keys without these
 *       characters (nearly all) are stored as written, so analysts query {@code evaluationData.sentiment}.</li>
 *   <li>Maps nested deeper than {@code maxDepth} levels keep their subtree as JSON text under the key
 *       {@value #JSON_MARKER}, which no escaped key can equal; MongoDB's own limit is 100 levels.</li>
 *   <li>Numbers keep their type; integers beyond 64 bits and decimals become Decimal128 (text when even that
 *       cannot hold them).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class UserMapCodec {

    /** Key of the one-entry document holding a subtree that was nested too deep, as JSON text. */
    public static final String JSON_MARKER = "%json";

    private final int maxDepth;

    public UserMapCodec(int maxDepth) {
        if (maxDepth < 1 || maxDepth > 90) {
            throw new IllegalArgumentException("maxDepth must be 1..90, was " + maxDepth);
        }
        this.maxDepth = maxDepth;
    }

    /** The stored form of a user map; {@code null} stays null. */
    public Document encode(Map<String, ?> map) {
        return map == null ? null : encodeMap(map, 1);
    }

    /** The stored form of one value of a user map (a top-level merge writes values one by one). */
    public Object encodeValue(Object value) {
        return encodeValue(value, 2);
    }

    /** The user map back from its stored form (for readers, the demo and tests). */
    public static Map<String, Object> decode(Document stored) {
        if (stored == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        stored.forEach((key, value) -> map.put(unescapeKey(key), decodeValue(value)));
        return map;
    }

    public static String escapeKey(String key) {
        if (key.isEmpty()) {
            return "%";
        }
        StringBuilder out = null;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            String replacement = switch (c) {
                case '%' -> "%25";
                case '.' -> "%2E";
                case '$' -> "%24";
                case '\0' -> "%00";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(key.length() + 8).append(key, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? key : out.toString();
    }

    public static String unescapeKey(String stored) {
        if (stored.equals("%")) {
            return "";
        }
        if (stored.indexOf('%') < 0) {
            return stored;
        }
        StringBuilder out = new StringBuilder(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c == '%') {
                if (i + 2 >= stored.length()) {
                    throw new IllegalArgumentException("not an escaped key: " + stored);
                }
                String code = stored.substring(i + 1, i + 3);
                char decoded = switch (code) {
                    case "25" -> '%';
                    case "2E" -> '.';
                    case "24" -> '$';
                    case "00" -> '\0';
                    default -> throw new IllegalArgumentException("not an escaped key: " + stored);
                };
                out.append(decoded);
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private Document encodeMap(Map<String, ?> map, int depth) {
        if (depth > maxDepth) {
            return new Document(JSON_MARKER, toJson(map));
        }
        Document doc = new Document();
        map.forEach((key, value) -> doc.append(escapeKey(key), encodeValue(value, depth + 1)));
        return doc;
    }

    private Object encodeValue(Object value, int depth) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> typed = (Map<String, ?>) map;
            return encodeMap(typed, depth);
        }
        if (value instanceof Collection<?> list) {
            if (depth > maxDepth) {
                return new Document(JSON_MARKER, toJson(list));
            }
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(encodeValue(item, depth + 1));
            }
            return out;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : decimal(new BigDecimal(big));
        }
        if (value instanceof BigDecimal decimal) {
            return decimal(decimal);
        }
        return value.toString();
    }

    private static Object decimal(BigDecimal value) {
        try {
            return new Decimal128(value);
        } catch (NumberFormatException | ArithmeticException e) {
            return value.toString();
        }
    }

    private static Object decodeValue(Object value) {
        if (value instanceof Document doc) {
            if (doc.size() == 1 && doc.get(JSON_MARKER) instanceof String json) {
                try {
                    return Json.mapper().readValue(json, Object.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("unreadable " + JSON_MARKER + " subtree", e);
                }
            }
            return decode(doc);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(decodeValue(item)));
            return out;
        }
        if (value instanceof Decimal128 decimal) {
            return decimal.bigDecimalValue();
        }
        return value;
    }

    private static String toJson(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a user map subtree as JSON", e);
        }
    }
}
