package dev.mtp.chaos.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The cache strategies as the README's "Cache strategies" table states them: each strategy's TTL and the fields it
 * caches, and the ordinal the value header names it by (docs/decisions/0002: the strategy's position in that table).
 * Written from the table, not from the apps' enums, so a change to either shows up as a difference.
 */
public final class Strategies {

    private Strategies() {}

    /** One row of the table. {@code ttl} empty for NONE; {@code fields} the body's short names (0002). */
    public record Strategy(String name, int ordinal, Optional<Duration> ttl, List<String> fields) {
        public boolean caches() {
            return ttl.isPresent();
        }
    }

    private static final List<String> SESSION_CRITICAL = List.of("u", "st", "ca", "ua", "la");
    private static final List<String> SESSION_CONTEXT = concat(SESSION_CRITICAL, List.of("cx", "n"));
    private static final List<String> INTERACTION_RESPONSE = List.of("r", "t");
    private static final List<String> INTERACTION_CONTEXT = concat(INTERACTION_RESPONSE, List.of("q", "cx"));

    public static final List<Strategy> SESSION = List.of(
            new Strategy("NONE", 0, Optional.empty(), List.of()),
            new Strategy("CRITICAL_ONLY", 1, Optional.of(Duration.ofHours(1)), SESSION_CRITICAL),
            new Strategy("WITH_CONTEXT", 2, Optional.of(Duration.ofMinutes(30)), SESSION_CONTEXT),
            new Strategy("FULL_SESSION", 3, Optional.of(Duration.ofMinutes(15)),
                    concat(SESSION_CONTEXT, List.of("md", "li"))));

    public static final List<Strategy> INTERACTION = List.of(
            new Strategy("NONE", 0, Optional.empty(), List.of()),
            new Strategy("RESPONSE_ONLY", 1, Optional.of(Duration.ofMinutes(30)), INTERACTION_RESPONSE),
            new Strategy("WITH_CONTEXT", 2, Optional.of(Duration.ofMinutes(15)), INTERACTION_CONTEXT),
            new Strategy("FULL_INTERACTION", 3, Optional.of(Duration.ofMinutes(5)),
                    concat(INTERACTION_CONTEXT, List.of("ro", "md", "pt"))));

    public static Strategy session(String name) {
        return find(SESSION, name, "session");
    }

    public static Strategy interaction(String name) {
        return find(INTERACTION, name, "interaction");
    }

    private static Strategy find(List<Strategy> table, String name, String entity) {
        return table.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("cacheStrategy: '" + name + "' is not a " + entity + " cache strategy"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
