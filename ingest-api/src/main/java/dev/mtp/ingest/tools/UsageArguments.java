package dev.mtp.ingest.tools;

import dev.mtp.common.event.EntityType;
import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.usage.UsageService;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The arguments the two analysis tools share, checked with field-naming errors, and their answers' text. */
final class UsageArguments {
    private UsageArguments() {}

    static int window(Input in, UsageService usage) {
        return in.optionalLong("windowMinutes", 1, usage.maxWindowMinutes()).map(Long::intValue)
                .orElse(usage.defaultWindowMinutes());
    }

    /** null for both. */
    static EntityType entityType(Input in) {
        return in.optionalParsed("entityType", value -> switch (value) {
            case "session" -> EntityType.SESSION;
            case "interaction" -> EntityType.INTERACTION;
            default -> throw new IllegalArgumentException("'" + value + "' is not one of session, interaction");
        }).orElse(null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> onlyEntity(Map<String, Object> report, EntityType entity) {
        Map<String, Object> out = new LinkedHashMap<>(report);
        for (String list : List.of("strategies", "recommendations")) {
            if (out.get(list) instanceof List<?> rows) {
                out.put(list, rows.stream().filter(row -> entity.json().equals(((Map<String, Object>) row).get("entityType")))
                        .toList());
            }
        }
        if (out.get("patterns") instanceof Map<?, ?> patterns) {
            Map<String, Object> one = new LinkedHashMap<>();
            if (patterns.containsKey(entity.json())) {
                one.put(entity.json(), patterns.get(entity.json()));
            }
            out.put("patterns", one);
        }
        if (out.get("findings") instanceof List<?> findings) {
            out.put("findings", findings.stream().filter(f -> String.valueOf(((Map<String, Object>) f).get("where"))
                    .startsWith(entity.json())).toList());
        }
        return out;
    }

    /** One line per strategy row, pattern and finding. */
    @SuppressWarnings("unchecked")
    static String summary(Map<String, Object> report) {
        StringBuilder text = new StringBuilder();
        Map<String, Object> window = (Map<String, Object>) report.get("window");
        text.append("usage over ").append(window.get("minutes")).append(" min (").append(window.get("coveredSeconds"))
                .append(" s measured, instances ").append(window.get("instances")).append(")\n");
        for (Object r : (List<Object>) report.getOrDefault("strategies", List.of())) {
            Map<String, Object> row = (Map<String, Object>) r;
            text.append(row.get("entityType")).append(' ').append(row.get("strategy")).append(": ")
                    .append(row.get("writes")).append(" writes, ").append(row.get("reads")).append(" reads, Redis hit ratio ")
                    .append(((Map<String, Object>) row.get("hitRatio")).get("redis")).append(", pattern ")
                    .append(((Map<String, Object>) row.get("pattern")).get("label")).append('\n');
        }
        for (Object f : (List<Object>) report.getOrDefault("findings", List.of())) {
            Map<String, Object> finding = (Map<String, Object>) f;
            text.append(finding.get("kind")).append(" (").append(finding.get("where")).append("): ")
                    .append(finding.get("detail")).append('\n');
        }
        return text.toString().strip();
    }
}
