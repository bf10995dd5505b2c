package dev.mtp.ingest.tools;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.usage.PatternType;
import dev.mtp.common.usage.StrategyAdvice;
import dev.mtp.common.usage.UseCase;
import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.usage.UsageService;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mtp.ingest.tools.Schemas.*;

/**
 * get_persistence_recommendations: with a use case (the decision tree's answers, or one of the seed's pattern types)
 * the strategy pair the seed gives, with bytes per key, TTL and latency; with none, keep-or-switch for each strategy
 * in use from measured usage, with the what-if's predictions.
 */
public final class RecommendationsTool implements Tool {
    private static final List<String> TREE = List.of("accessFrequency", "dataSize", "contextNeeded", "realTimeRequired");
    private final UsageService usage;

    public RecommendationsTool(UsageService usage) {
        this.usage = usage;
    }

    public static final String NAME = "get_persistence_recommendations";
    public static final Set<String> ARGUMENTS = Set.of("patternType", "accessFrequency", "dataSize", "contextNeeded",
            "realTimeRequired", "windowMinutes", "entityType");

    @Override public String name() { return NAME; }

    @Override public String title() { return "Get persistence recommendations"; }

    @Override
    public String description() {
        return "Recommend cache strategies. With patternType (HIGH_FREQUENCY, REAL_TIME, ANALYTICAL, ARCHIVAL) the seed's "
                + "pattern table; with the decision tree's answers (accessFrequency HIGH/MEDIUM/LOW, then dataSize "
                + "SMALL/MEDIUM/LARGE at high frequency, contextNeeded at medium, realTimeRequired for large data) the "
                + "seed's decision tree: a session and an interaction strategy, each with expected bytes per key, TTL "
                + "and read latency. With neither, from measured usage over windowMinutes: for each strategy in use "
                + "keep or switch, with every alternative's predicted hit ratio, memory change and read latency (a "
                + "what-if over the sampled reuse times), sample size and confidence, and a recommended profile.";
    }

    @Override public boolean readOnly() { return true; }

    @Override
    public Map<String, Object> inputSchema() {
        return object(List.of(), props(
                "patternType", enumOf(PatternType.class, "One of the seed's usage patterns."),
                "accessFrequency", enumOf(UseCase.AccessFrequency.class, "How often the data is read."),
                "dataSize", enumOf(UseCase.DataSize.class, "How large each entity is (asked at HIGH frequency)."),
                "contextNeeded", plain("boolean", "Whether reads need the context (asked at MEDIUM frequency)."),
                "realTimeRequired", plain("boolean", "Whether reads must be immediate (asked for HIGH, LARGE)."),
                "windowMinutes", integer("Minutes of measured usage (no use case given).", 1, usage.maxWindowMinutes()),
                "entityType", strings("Only this entity type (measured usage).", "session", "interaction")));
    }

    @Override
    public Map<String, Object> outputSchema() {
        Map<String, Object> anyObject = Map.of("type", "object");
        return output(List.of("basis"), props(
                "basis", strings("What the recommendation rests on.", "pattern table", "decision tree", "measured usage"),
                "path", Map.of("type", "array", "items", Map.of("type", "string"), "description", "The questions answered."),
                "rationale", plain("string", "The seed's reason."),
                "session", plain("object", "strategy, expectedBytesPerKey, ttlSeconds, expectedReadLatency(Ms)"),
                "interaction", plain("object", "strategy, expectedBytesPerKey, ttlSeconds, expectedReadLatency(Ms)"),
                "profile", plain("string", "The profile that gives this pair, when one does."),
                "window", plain("object", "Measured usage: the window covered."),
                "profileInForce", ProfileSchema.SCHEMA,
                "recommendations", Map.of("type", "array", "items", anyObject, "description", "Measured usage: per "
                        + "strategy in use, action (KEEP, SWITCH, NO_DATA), recommended, reason, measuredHitRatio, "
                        + "predictions (hitRatio, hitRatioInterval, memoryBytes, memoryChangeBytes, memoryChangePercent, "
                        + "expectedReadMs, p50ReadMs, sampleReads, confidence), sampleReads, confidence."),
                "recommendedProfile", plain("object", "Measured usage: the profile (and defaults) to run with.")));
    }

    @Override
    public ToolResult call(Input arguments) {
        arguments.allowOnly(ARGUMENTS);
        PatternType pattern = arguments.optionalParsed("patternType", PatternType::parse).orElse(null);
        List<String> answered = TREE.stream().filter(arguments::has).toList();
        if (pattern != null && !answered.isEmpty()) {
            throw arguments.invalid("patternType", "give either patternType or the decision tree's answers ("
                    + String.join(", ", answered) + "), not both");
        }
        if (pattern != null || !answered.isEmpty()) {
            for (String measuredOnly : List.of("windowMinutes", "entityType")) {
                if (arguments.has(measuredOnly)) {
                    throw arguments.invalid(measuredOnly, "applies to recommendations from measured usage only, "
                            + "without patternType or the decision tree's answers");
                }
            }
            StrategyAdvice advice = pattern != null ? StrategyAdvice.forPattern(pattern) : forUseCase(arguments);
            return ToolResult.success(advice.basis() + " (" + String.join(", ", advice.path()) + "): "
                    + advice.summary() + "; " + advice.rationale(), advice.describe());
        }
        int window = UsageArguments.window(arguments, usage);
        EntityType only = UsageArguments.entityType(arguments);
        Map<String, Object> answer = usage.recommend(window);
        if (only != null) {
            answer = UsageArguments.onlyEntity(answer, only);
        }
        return ToolResult.success(text(answer), answer);
    }

    private static StrategyAdvice forUseCase(Input in) {
        UseCase useCase = new UseCase(
                in.optionalParsed("accessFrequency", v -> parse(UseCase.AccessFrequency.class, v)).orElse(null),
                in.optionalParsed("dataSize", v -> parse(UseCase.DataSize.class, v)).orElse(null),
                in.optionalBoolean("contextNeeded").orElse(null),
                in.optionalBoolean("realTimeRequired").orElse(null));
        try {
            return StrategyAdvice.forUseCase(useCase);
        } catch (dev.mtp.common.usage.DecisionTree.MissingAnswer e) {
            throw in.invalid(e.field(), e.getMessage().substring(e.field().length() + 2));
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of "
                + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> answer) {
        StringBuilder text = new StringBuilder("from measured usage:\n");
        for (Object r : (List<Object>) answer.get("recommendations")) {
            Map<String, Object> item = (Map<String, Object>) r;
            text.append(item.get("entityType")).append(' ').append(item.get("strategy")).append(": ")
                    .append(item.get("action")).append(" -> ").append(item.get("recommended")).append(" (")
                    .append(item.get("reason")).append("; confidence ").append(item.get("confidence")).append(")\n");
        }
        Map<String, Object> profile = (Map<String, Object>) answer.get("recommendedProfile");
        text.append("profile: ").append(profile.get("profile")).append(" (").append(profile.get("how")).append(')');
        return text.toString();
    }
}
