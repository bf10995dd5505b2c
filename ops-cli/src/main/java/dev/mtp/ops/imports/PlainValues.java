package dev.mtp.ops.imports;

import dev.mtp.common.json.IsoInstants;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An old record's values as the ingest reads a JSON request: maps, lists, strings, numbers, booleans. A MongoDB
 * record's own types become their JSON form: an ObjectId its hex text, a date its ISO-8601 instant, a Decimal128 a
 * decimal number; anything else its text.
 */
public final class PlainValues {
    private PlainValues() {}

    public static Object of(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Decimal128 decimal -> decimal.isNaN() || decimal.isInfinite() ? decimal.toString()
                    : decimal.bigDecimalValue();
            case Number n -> n;
            case Map<?, ?> map -> {
                Map<String, Object> plain = new LinkedHashMap<>();
                map.forEach((k, v) -> plain.put(String.valueOf(k), of(v)));
                yield plain;
            }
            case List<?> list -> {
                List<Object> plain = new ArrayList<>(list.size());
                list.forEach(v -> plain.add(of(v)));
                yield plain;
            }
            case ObjectId id -> id.toHexString();
            case Date date -> IsoInstants.format(date.toInstant());
            default -> value.toString();
        };
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> record(Map<String, ?> record) {
        return (Map<String, Object>) of(record);
    }
}
