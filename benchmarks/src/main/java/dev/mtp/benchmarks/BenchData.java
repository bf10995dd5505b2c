package dev.mtp.benchmarks;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The benchmark's topic data: interaction.recorded events shaped like the seed's persist_interaction example,
 * about 1.5 KB of JSON each, from many sessions interleaved like concurrent chats (seeded, so reproducible).
 * Every interaction id is distinct, so each system ends with exactly {@code count} interaction documents.
 */
final class BenchData {
    private static final String[] TOPICS = {"product_info", "pricing", "shipping", "returns", "billing", "account"};
    private static final String WORDS = "Our product offers real-time sync, role based access, audit trails, "
            + "single sign-on, usage analytics and a public API with webhooks for every event you care about. ";

    private BenchData() {}

    static List<EventEnvelope> interactions(int count, int sessions, long seed) {
        Random random = new Random(seed);
        Instant start = Instant.parse("2026-11-25T08:00:00Z");
        int[] turns = new int[sessions];
        List<EventEnvelope> events = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int s = random.nextInt(sessions);
            int turn = turns[s]++;
            String sessionId = "bench-session-" + s;
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("intent", TOPICS[random.nextInt(TOPICS.length)]);
            context.put("turn", turn);
            context.put("locale", random.nextBoolean() ? "en-US" : "de-DE");
            context.put("sentiment", random.nextDouble());
            Map<String, Object> metadata = Map.of("channel", "web_chat", "model", "assistant-v" + (1 + random.nextInt(3)));
            String request = "Question " + turn + ": what are your product features for " + context.get("intent")
                    + "? " + WORDS.repeat(2).substring(0, 120 + random.nextInt(120));
            String response = WORDS.repeat(8).substring(0, 900 + random.nextInt(200));
            events.add(EventEnvelope.of(new UUID(seed, n), sessionId, sessionId + "-turn-" + turn, "RESPONSE_ONLY",
                    start.plusMillis(n * 10L), "benchmark", new InteractionRecorded(turn % 2 == 0 ? "user" : "assistant",
                            request, response, context, metadata, 50L + random.nextInt(500))));
        }
        return events;
    }
}
