package dev.mtp.reconciler.it;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.json.EventCodec;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.reconciler.ShadowReconcilerApp;
import dev.mtp.reconciler.ShadowReconcilerConfig;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.ProvisionedTopics;
import dev.mtp.runtime.ops.HealthCheck;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Properties;

/**
 * The baseline the reconciler's cost is judged against: the least any changelog-backed shadow of the cache keys costs
 * on Kafka Streams. It reads the same topics with the reconciler's Streams settings (its config table and
 * {@link ShadowReconcilerApp#streamsProperties}), decodes each event, and for every cache key the reconciler's fold
 * changes (the session key; for an interaction also its key and the latest-response key) reads the key's entry and
 * stores the event's bytes under it, in a cached, logged RocksDB store. No fold, no desired values, no checks, no
 * Redis, no tracking: what the reconciler spends beyond this is what checking and repairing cost.
 */
final class BareShadowApp {

    static final String EVENTS_METRIC = "mtp_baseline_events_total";

    private BareShadowApp() {}

    public static void main(String[] args) {
        AppLauncher.run(ShadowReconcilerConfig.TABLE, BareShadowApp::start);
    }

    static void start(AppContext ctx) throws InterruptedException {
        ProvisionedTopics provisioned = PipelineTopics.ensure(ctx);
        PersistenceTopics topics = provisioned.names();
        CacheKeys keys = CacheStoreSettings.from(ctx.config()).keys();
        Counter events = Counter.builder("mtp.baseline.events").register(ctx.meterRegistry());
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("bare-shadow"),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        source(builder, topics.sessions()).merge(source(builder, topics.interactions()))
                .process(() -> new StoreEveryKey(keys, events), "bare-shadow");
        Properties props = ShadowReconcilerApp.streamsProperties(ctx.config());
        KafkaStreams streams = new KafkaStreams(builder.build(props), props);
        ctx.open("kafka-streams", streams, s -> s.close(Duration.ofSeconds(10)));
        ctx.addHealthCheck(HealthCheck.of("kafka-streams", () -> {
            if (streams.state() != KafkaStreams.State.RUNNING) {
                throw new IllegalStateException(streams.state().name());
            }
            return "running";
        }));
        ctx.afterStart("kafka-streams", streams::start);
    }

    private static KStream<String, byte[]> source(StreamsBuilder builder, TopicDescriptor<String, EventEnvelope> topic) {
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), Serdes.ByteArray()));
    }

    /** Per event: read and write every key it changes, skipping a replayed event (same topic, offset not newer). */
    private static final class StoreEveryKey implements Processor<String, byte[], Void, Void> {
        private final CacheKeys keys;
        private final Counter events;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, byte[]> store;

        StoreEveryKey(CacheKeys keys, Counter events) {
            this.keys = keys;
            this.events = events;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.store = context.getStateStore("bare-shadow");
        }

        @Override
        public void process(Record<String, byte[]> record) {
            EventEnvelope event = EventCodec.decode(record.value());
            var metadata = context.recordMetadata().orElseThrow();
            byte topic = (byte) event.type().topic().ordinal();
            store(keys.session(event.sessionId()), topic, metadata.offset(), record.value());
            if (event.type() == EventType.INTERACTION_RECORDED) {
                store(keys.interaction(event.sessionId(), event.entityId()), topic, metadata.offset(), record.value());
                store(keys.latestResponse(event.sessionId()), topic, metadata.offset(), record.value());
            }
            events.increment();
        }

        private void store(String key, byte topic, long offset, byte[] event) {
            byte[] stored = store.get(key);
            if (stored != null && stored[0] == topic && ByteBuffer.wrap(stored, 1, 8).getLong() >= offset) {
                return;
            }
            store.put(key, ByteBuffer.allocate(1 + 8 + event.length).put(topic).putLong(offset).put(event).array());
        }
    }
}
