package dev.mtp.runtime.consume;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InvalidEventException;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.ContractPartitioner;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.topic.WrongPartitionException;
import dev.mtp.runtime.kafka.PartitionCounts;
import dev.mtp.runtime.kafka.TopicIncarnations;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one poll's records into the events a {@link BatchWriter} takes, and sets aside with their cause the poison
 * records (not JSON, or breaking the contract) and then the misplaced ones (on another partition than the one their
 * key maps to, {@link ContractPartitioner}). Pure and thread-safe: a loop that decodes ahead runs it on a thread of its
 * own ({@link ConsumeLoop.Decoding#AHEAD}).
 */
final class PollDecoder {

    /** One poll decoded: the events in poll order, the record each came from, and the poison records. */
    record Decoded(List<SourcedEvent> events, Map<SourcedEvent, ConsumerRecord<String, byte[]>> sources,
                   List<Poison> poison, List<Misplaced> misplaced) {}

    record Poison(ConsumerRecord<String, byte[]> record, IllegalArgumentException cause) {}

    record Misplaced(ConsumerRecord<String, byte[]> record, WrongPartitionException cause) {}

    private final Map<String, TopicRole> roles;
    private final TopicIncarnations incarnations;
    private final PartitionCounts partitionCounts;

    PollDecoder(Map<String, TopicRole> roles, TopicIncarnations incarnations, PartitionCounts partitionCounts) {
        this.roles = Map.copyOf(roles);
        this.incarnations = incarnations;
        this.partitionCounts = partitionCounts;
    }

    Decoded decode(ConsumerRecords<String, byte[]> records) {
        List<SourcedEvent> events = new ArrayList<>(records.count());
        // By identity: the writer hands back the same instances, and hashing whole envelopes is costly.
        Map<SourcedEvent, ConsumerRecord<String, byte[]>> sources = new IdentityHashMap<>();
        List<Poison> poison = new ArrayList<>();
        List<Misplaced> misplaced = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                EventEnvelope event = decode(record);
                // After the key's own checks: a key that is not the session id is the cause to report, not where it is.
                ContractPartitioner.check(record.topic(), record.partition(), record.offset(), record.key(),
                        partitionCounts.of(record.topic()));
                SourcedEvent sourced = new SourcedEvent(event, roles.get(record.topic()), record.topic(),
                        record.partition(), record.offset(), incarnations.of(record.topic()));
                events.add(sourced);
                sources.put(sourced, record);
            } catch (WrongPartitionException e) {
                misplaced.add(new Misplaced(record, e));
            } catch (IllegalArgumentException e) {
                poison.add(new Poison(record, e));
            }
        }
        return new Decoded(events, sources, poison, misplaced);
    }

    /** The contract's checks plus the loop's own: a value is present and the key is the event's session id. */
    private static EventEnvelope decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new InvalidEventException("$", "the record has no value");
        }
        EventEnvelope event = EventCodec.decode(record.value());
        if (record.key() == null) {
            throw new InvalidEventException("key", "the record has no key; events are keyed by their sessionId '"
                    + event.sessionId() + "'");
        }
        if (!event.sessionId().equals(record.key())) {
            throw new InvalidEventException("sessionId", "must equal the record key '" + record.key() + "'");
        }
        return event;
    }
}
