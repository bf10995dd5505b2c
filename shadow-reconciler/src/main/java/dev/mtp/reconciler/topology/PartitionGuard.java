package dev.mtp.reconciler.topology;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.ContractPartitioner;
import dev.mtp.common.topic.WrongPartitionException;
import dev.mtp.reconciler.tracking.ReconcilerMetrics;
import dev.mtp.runtime.consume.DeadLetterPublisher;
import dev.mtp.runtime.kafka.PartitionCounts;
import dev.mtp.runtime.logging.LogThrottle;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Sends each event on to the fold, unless it is on another partition than the one its key maps to under the
 * contract's partitioner ({@link ContractPartitioner}): its offset says nothing about its session's other events, so
 * it goes to the dead-letter topic with the reason (the writers' {@code mtp.dlq.*} headers), is counted
 * ({@code mtp.reconciler.events}, outcome {@code wrong_partition}) and logged at most once per partition every
 * {@link #LOG_INTERVAL}. The letter is produced by the task like any output, so it is acknowledged before the input's
 * offset is committed.
 *
 * <p>Records without an event, or whose key is not their session id, go on to the fold, which skips them: cache-writer
 * dead-letters those, and like it the guard judges where a record is only once its key is the session id's.
 */
final class PartitionGuard implements FixedKeyProcessor<String, ShadowTopology.Incoming, ShadowTopology.Incoming> {

    private static final Logger log = LoggerFactory.getLogger(PartitionGuard.class);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final List<String> inputTopics;
    private final ShadowTopology.PartitionCheck check;
    private final ReconcilerMetrics metrics;
    private final Function<String, String> topicTag;
    private final LogThrottle<TopicPartition> logThrottle = new LogThrottle<>(LOG_INTERVAL.toMillis());
    private FixedKeyProcessorContext<String, ShadowTopology.Incoming> context;

    PartitionGuard(List<String> inputTopics, ShadowTopology.PartitionCheck check, ReconcilerMetrics metrics,
                   Function<String, String> topicTag) {
        this.inputTopics = inputTopics;
        this.check = check;
        this.metrics = metrics;
        this.topicTag = topicTag;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ShadowTopology.Incoming> context) {
        this.context = context;
        // A task starts when its partition is assigned: the counts are current for every record it processes.
        check.counts().refresh(inputTopics);
    }

    @Override
    public void process(FixedKeyRecord<String, ShadowTopology.Incoming> record) {
        EventEnvelope event = record.value() == null ? null : record.value().event();
        if (event == null || !event.sessionId().equals(record.key())) {
            context.forward(record, ShadowTopology.PROCESSOR);
            return;
        }
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        try {
            ContractPartitioner.check(meta.topic(), meta.partition(), meta.offset(), record.key(),
                    check.counts().of(meta.topic()));
        } catch (WrongPartitionException e) {
            deadLetter(record, meta, e);
            return;
        }
        context.forward(record, ShadowTopology.PROCESSOR);
    }

    private void deadLetter(FixedKeyRecord<String, ShadowTopology.Incoming> record, RecordMetadata meta,
                            WrongPartitionException e) {
        long now = context.currentSystemTimeMs();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterPublisher.addReason(headers, e, meta.topic(), meta.partition(), meta.offset(), check.appName(),
                Instant.ofEpochMilli(now));
        context.forward(record.withHeaders(headers), ShadowTopology.DEAD_LETTER_SINK);
        metrics.event(topicTag.apply(meta.topic()), "wrong_partition");
        long heldBack = logThrottle.admit(new TopicPartition(meta.topic(), meta.partition()), now);
        if (heldBack != LogThrottle.HOLD_BACK) {
            log.atWarn().setMessage("record on the wrong partition dead-lettered ({} more on this partition since the"
                            + " last such line): {}").addArgument(heldBack).addArgument(e.getMessage())
                    .addKeyValue("topic", meta.topic()).addKeyValue("partition", meta.partition())
                    .addKeyValue("offset", meta.offset()).addKeyValue("key", record.key())
                    .addKeyValue("expectedPartition", e.expectedPartition()).log();
        }
    }
}
