package dev.mtp.mongowriter.store;

import dev.mtp.common.event.TopicRole;
import dev.mtp.mongowriter.write.PlannedWrite;
import dev.mtp.mongowriter.write.Skipped;
import dev.mtp.mongowriter.write.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * mongo-writer's own meters, next to the consume loop's (events, batch size, batch latency, retries,
 * dead-lettered) and the consumer's lag ({@code kafka_consumer_fetch_manager_records_lag_max}).
 */
final class WriterMetrics {
    private final Map<Target, Timer> bulkLatency = new EnumMap<>(Target.class);
    private final Map<PlannedWrite.Kind, Counter> writes = new EnumMap<>(PlannedWrite.Kind.class);
    private final Map<Skipped.Reason, Counter> skipped = new EnumMap<>(Skipped.Reason.class);
    private final Map<TopicRole, Counter> superseded = new EnumMap<>(TopicRole.class);
    private final Counter conflicts;
    private final Counter rejected;

    WriterMetrics(MeterRegistry registry) {
        for (Target target : Target.values()) {
            bulkLatency.put(target, Timer.builder("mtp.mongo.bulk.latency")
                    .description("Time of one unordered bulk write, per collection")
                    .tag("collection", target.collection()).publishPercentiles(0.5, 0.99).register(registry));
        }
        for (PlannedWrite.Kind kind : PlannedWrite.Kind.values()) {
            writes.put(kind, Counter.builder("mtp.mongo.writes").description("Writes sent in bulk writes, per strategy")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        for (Skipped.Reason reason : Skipped.Reason.values()) {
            skipped.put(reason, Counter.builder("mtp.mongo.events.skipped")
                    .description("Events a write of which was skipped, by reason: duplicate (the document holds the "
                            + "event: redelivery, normal), stale (it holds a later offset of the same incarnation: "
                            + "only a replay), erased (older than its session's deletion)")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        for (TopicRole topic : List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS, TopicRole.EVALUATIONS)) {
            superseded.put(topic, Counter.builder("mtp.mongo.incarnation.superseded")
                    .description("Writes that replaced a document's fields written from another incarnation of their "
                            + "topic (or before incarnations were recorded), docs/decisions/0012")
                    .tag("topic", topic.baseName()).register(registry));
        }
        conflicts = Counter.builder("mtp.mongo.guard.conflicts")
                .description("Guarded writes whose compare-and-set lost and were re-planned from the stored document")
                .register(registry);
        rejected = Counter.builder("mtp.mongo.events.rejected")
                .description("Events MongoDB refused for data reasons (sent to the dead-letter topic)").register(registry);
    }

    void bulk(Target target, int size, Duration took) {
        bulkLatency.get(target).record(took);
    }

    void write(PlannedWrite.Kind kind) {
        writes.get(kind).increment();
    }

    void skipped(Skipped.Reason reason) {
        skipped.get(reason).increment();
    }

    void superseded(TopicRole topic) {
        superseded.get(topic).increment();
    }

    void conflict() {
        conflicts.increment();
    }

    void rejected(int count) {
        rejected.increment(count);
    }
}
