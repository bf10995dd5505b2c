package dev.mtp.reconciler.it;

import dev.mtp.reconciler.Pipeline;
import dev.mtp.testkit.Events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Chat traffic: sessions start with any strategy (NONE included), get interactions of any strategy, are updated
 * (status, context, sometimes a strategy change), closed, some deleted. Deterministic for a seed. A deleted session
 * gets no more events.
 */
final class Traffic {

    static final String[] SESSION_STRATEGIES = {"CRITICAL_ONLY", "WITH_CONTEXT", "FULL_SESSION", "NONE"};
    static final String[] INTERACTION_STRATEGIES = {"RESPONSE_ONLY", "WITH_CONTEXT", "FULL_INTERACTION", "NONE"};

    private final Pipeline pipeline;
    private final Random random;
    private final String prefix;
    private final List<String> live = new ArrayList<>();
    private int sessions;
    private int interactions;

    Traffic(Pipeline pipeline, long seed, String prefix) {
        this.pipeline = pipeline;
        this.random = new Random(seed);
        this.prefix = prefix;
    }

    /** One event, chosen at random (new sessions while there are few live ones). */
    void next() {
        Instant now = Instant.now();
        int dice = random.nextInt(100);
        if (live.size() < 20 || dice < 15) {
            String s = prefix + "s-" + sessions++;
            live.add(s);
            pipeline.produce(Events.created(s, pick(SESSION_STRATEGIES), now));
            return;
        }
        String s = live.get(random.nextInt(live.size()));
        if (dice < 70) {
            pipeline.produce(Events.interaction(s, "int-" + interactions++, pick(INTERACTION_STRATEGIES), now));
        } else if (dice < 88) {
            String strategy = random.nextInt(4) == 0 ? pick(SESSION_STRATEGIES) : null;
            pipeline.produce(Events.updated(s, strategy, now, random.nextBoolean() ? "active" : "waiting"));
        } else if (dice < 95) {
            pipeline.produce(Events.closed(s, now));
        } else {
            live.remove(s);
            pipeline.produce(Events.deleted(s, now));
        }
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }
}
