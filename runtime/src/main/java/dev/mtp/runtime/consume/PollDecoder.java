package dev.mtp.runtime.consume;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InvalidEventException;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.TopicRole;
import dev.mtp.runtime.kafka.TopicIncarnations;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one poll's records into the events a {@link BatchWriter} takes, and sets poison records (not JSON, or
 * breaking the contract) aside with their cause. Pure and thread-safe: a loop that decodes ahead runs it on a thread
 * of its own ({@link ConsumeLoop.Decoding#AHEAD}).
 */
final class PollDecoder {

    /** One poll decoded: the events in poll order, the record each came from, and the poison records. */
    record Decoded(List<SourcedEvent> events, Map<SourcedEvent, ConsumerRecord<String, byte[]>> sources,
                   List<Poison> poison) {}

    record Poison(ConsumerRecord<String, byte[]> record, IllegalArgumentException cause) {}

    private final Map<String, TopicRole> roles;
    private final TopicIncarnations incarnations;

    PollDecoder(Map<String, TopicRole> roles, TopicIncarnations incarnations) {
        this.roles = Map.copyOf(roles);
        this.incarnations = incarnations;
    }

    Decoded decode(ConsumerRecords<String, byte[]> records) {
        List<SourcedEvent> events = new ArrayList<>(records.count());
        // By identity: the writer hands back the same instances, and hashing whole envelopes cost 6% of a writer's CPU.
        Map<SourcedEvent, ConsumerRecord<String, byte[]>> sources = new IdentityHashMap<>();
        List<Poison> poison = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                SourcedEvent sourced = new SourcedEvent(decode(record), roles.get(record.topic()), record.topic(),
                        record.partition(), record.offset(), incarnations.of(record.topic()));
                events.add(sourced);
                sources.put(sourced, record);
            } catch (IllegalArgumentException e) {
                poison.add(new Poison(record, e));
            }
        }
        return new Decoded(events, sources, poison);
    }

    /** The contract's checks plus the loop's own: a value is present and the key is the event's session id. */
    private static EventEnvelope decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new InvalidEventException("$", "the record has no value");
        }
        EventEnvelope event = EventCodec.decode(record.value());
        if (!event.sessionId().equals(record.key())) {
            throw new InvalidEventException("sessionId", "must equal the record key '" + record.key() + "'");
        }
        return event;
    }
}
