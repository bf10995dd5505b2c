package dev.mtp.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One comparable form for values from JSON and from BSON: maps sorted by key, numbers as exact decimals, times as
 * epoch milliseconds. An absent value and null are the same.
 */
final class Canonical {

    private Canonical() {}

    static Object of(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNode node) {
            return ofJson(node);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), of(v)));
            return sorted;
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(of(v)));
            return out;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        if (value instanceof Date d) {
            return new BigDecimal(d.getTime());
        }
        if (value instanceof Instant i) {
            return new BigDecimal(i.toEpochMilli());
        }
        return value;
    }

    private static Object ofJson(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), ofJson(e.getValue())));
            return sorted;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            node.forEach(v -> out.add(ofJson(v)));
            return out;
        }
        if (node.isNumber()) {
            return node.decimalValue().stripTrailingZeros();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    /** A time as epoch milliseconds, from a BSON date, an ISO-8601 text or a number; null when absent. */
    static Long millis(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Date d) {
            return d.getTime();
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof JsonNode node) {
            return node.isNull() ? null : node.isNumber() ? node.asLong() : Instant.parse(node.asText()).toEpochMilli();
        }
        return Instant.parse(value.toString()).toEpochMilli();
    }
}
