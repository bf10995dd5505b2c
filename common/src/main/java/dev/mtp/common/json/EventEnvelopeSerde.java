package dev.mtp.common.json;

import dev.mtp.common.event.EventEnvelope;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde of the envelope as JSON. The deserializer throws {@link dev.mtp.common.event.InvalidEventException}
 * (or {@link EventCodec.UnreadableEventException}) for a poison record; writers catch it and dead-letter the record.
 */
public final class EventEnvelopeSerde implements Serde<EventEnvelope> {

    @Override
    public Serializer<EventEnvelope> serializer() {
        return (topic, envelope) -> envelope == null ? null : EventCodec.encode(envelope);
    }

    @Override
    public Deserializer<EventEnvelope> deserializer() {
        return (topic, bytes) -> bytes == null ? null : EventCodec.decode(bytes);
    }
}
