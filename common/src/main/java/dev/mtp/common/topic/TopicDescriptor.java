package dev.mtp.common.topic;

import dev.mtp.common.event.TopicRole;
import org.apache.kafka.common.serialization.Serde;

/** A topic with the serdes of its key and value, shared by producers, consumers, streams and tests. */
public record TopicDescriptor<K, V>(String name, TopicRole role, Serde<K> keySerde, Serde<V> valueSerde) {

    @Override
    public String toString() { return name; }
}
