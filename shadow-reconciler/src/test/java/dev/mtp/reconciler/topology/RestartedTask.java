package dev.mtp.reconciler.topology;

import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.reconciler.shadow.ShadowEntrySerde;
import dev.mtp.reconciler.shadow.ShadowStore;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A task started again with nothing but its stores, as after a kill -9 restart or a takeover (restored from their
 * changelogs): a new processor over stores holding the shadow entries and the mark of the checks done, its wall-clock
 * punctuator driven by hand. What the stopped task kept in memory is gone.
 */
final class RestartedTask implements AutoCloseable {

    private final MockProcessorContext<Void, Void> context;
    private final KeyValueStore<String, ShadowEntry> store;
    private final KeyValueStore<String, Long> checksDone;
    private final Processor<String, ShadowTopology.Incoming, Void, Void> processor;
    private final AtomicLong now;

    RestartedTask(Processor<String, ShadowTopology.Incoming, Void, Void> processor,
                  List<KeyValue<String, ShadowEntry>> shadow, Long doneThrough, AtomicLong now, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "reconciler-test-restarted");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        this.context = new MockProcessorContext<>(props);
        this.store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ShadowStore.NAME),
                Serdes.String(), new ShadowEntrySerde()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        store.putAll(shadow);
        context.addStateStore(store);
        this.checksDone = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ShadowTopology.CHECKS_DONE_STORE),
                Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
        checksDone.init(context.getStateStoreContext(), checksDone);
        if (doneThrough != null) {
            checksDone.put(ShadowProcessor.DONE_THROUGH, doneThrough);
        }
        context.addStateStore(checksDone);
        context.setCurrentSystemTimeMs(now.get());
        this.processor = processor;
        this.now = now;
        processor.init(context);
    }

    /** Advances the wall clock tick by tick (100 ms), running the punctuator at each, as the driver does. */
    void advance(Duration d) {
        for (long i = 0; i < d.toMillis() / 100; i++) {
            long at = now.addAndGet(100);
            context.setCurrentSystemTimeMs(at);
            context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(at));
        }
    }

    @Override
    public void close() {
        processor.close();
        store.close();
        checksDone.close();
    }
}
