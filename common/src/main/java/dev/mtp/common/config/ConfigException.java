package dev.mtp.common.config;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The configuration of an app cannot be used. Carries every problem found, not just the first, so one start
 * attempt tells the operator everything to fix. The message is a single line (problems joined by {@code "; "}),
 * fit for a one-line start-up failure; {@link #problems()} gives them one by one.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** One problem: the key (or the unknown entry, as the source spells it) and what is wrong with it. */
    public record Problem(String key, String message) {
        public Problem {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return key + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(render(problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String key, String message) {
        this(List.of(new Problem(key, message)));
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        String joined = problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
        return problems.size() == 1 ? "invalid configuration: " + joined
                : "invalid configuration (" + problems.size() + " problems): " + joined;
    }
}
