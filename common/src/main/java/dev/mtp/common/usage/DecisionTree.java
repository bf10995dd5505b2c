package dev.mtp.common.usage;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed's "Strategy Selection Decision Tree" (Best Practices), node for node:
 * <pre>
 * access frequency: high -> data size: small -> CRITICAL_ONLY; medium -> WITH_CONTEXT;
 *                                      large -> real-time required: yes -> FULL; no -> WITH_CONTEXT
 *                   medium -> context needed: yes -> WITH_CONTEXT; no -> CRITICAL_ONLY
 *                   low -> NONE
 * </pre>
 */
public final class DecisionTree {
    private DecisionTree() {}

    /** The rung and the path taken, e.g. ["access frequency HIGH", "data size LARGE", "real-time required"]. */
    public record Decision(CachingLevel level, List<String> path) {}

    /** Thrown when the path reaches a question the use case left unanswered: names the field. */
    public static final class MissingAnswer extends IllegalArgumentException {
        private final String field;

        MissingAnswer(String field, String why) {
            super(field + ": is required " + why);
            this.field = field;
        }

        public String field() { return field; }
    }

    public static Decision decide(UseCase useCase) {
        List<String> path = new ArrayList<>();
        if (useCase.accessFrequency() == null) {
            throw new MissingAnswer("accessFrequency", "to walk the decision tree (HIGH, MEDIUM or LOW)");
        }
        path.add("access frequency " + useCase.accessFrequency());
        CachingLevel level = switch (useCase.accessFrequency()) {
            case LOW -> CachingLevel.NONE;
            case MEDIUM -> {
                Boolean context = require(useCase.contextNeeded(), "contextNeeded", "when accessFrequency is MEDIUM");
                path.add(context ? "context needed" : "context not needed");
                yield context ? CachingLevel.WITH_CONTEXT : CachingLevel.CRITICAL_ONLY;
            }
            case HIGH -> {
                UseCase.DataSize size = require(useCase.dataSize(), "dataSize", "when accessFrequency is HIGH");
                path.add("data size " + size);
                yield switch (size) {
                    case SMALL -> CachingLevel.CRITICAL_ONLY;
                    case MEDIUM -> CachingLevel.WITH_CONTEXT;
                    case LARGE -> {
                        Boolean realTime = require(useCase.realTimeRequired(), "realTimeRequired",
                                "when accessFrequency is HIGH and dataSize LARGE");
                        path.add(realTime ? "real-time required" : "real-time not required");
                        yield realTime ? CachingLevel.FULL : CachingLevel.WITH_CONTEXT;
                    }
                };
            }
        };
        return new Decision(level, List.copyOf(path));
    }

    private static <T> T require(T answer, String field, String when) {
        if (answer == null) {
            throw new MissingAnswer(field, when);
        }
        return answer;
    }
}
