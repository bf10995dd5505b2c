package dev.mtp.ingest.usage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ends a usage bucket every {@code app.usage.bucket-ms} and writes it to the {@link UsageStore}; the last, partial one
 * at shutdown. A bucket MongoDB does not take is dropped and logged: memory stays bounded, and the analysis covers
 * the buckets it has.
 */
public final class UsageFlusher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageFlusher.class);

    private final UsageRecorder recorder;
    private final UsageStore store;
    private final String instance;
    private final Clock clock;
    private final Supplier<Map<String, Object>> instanceInfo;
    private final ScheduledExecutorService timer;
    private Instant bucketStart;

    /** @param instanceInfo what the bucket says of the instance besides its sampler: its profile and sync counters */
    public UsageFlusher(UsageRecorder recorder, UsageStore store, String instance, Clock clock, Duration bucket,
                        Supplier<Map<String, Object>> instanceInfo) {
        this.recorder = recorder;
        this.store = store;
        this.instance = instance;
        this.instanceInfo = instanceInfo;
        this.clock = clock;
        this.bucketStart = clock.instant();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "usage-flush");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::flush, bucket.toMillis(), bucket.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String instance() {
        return instance;
    }

    /** Ends the bucket now (also what the timer does). */
    public synchronized void flush() {
        Instant end = clock.instant();
        Instant start = bucketStart;
        bucketStart = end;
        try {
            Map<String, Object> sampler = new LinkedHashMap<>();
            sampler.put("rate", recorder.sampler().rate());
            sampler.put("keys", recorder.sampler().size());
            sampler.put("stateBytes", recorder.sampler().stateBytes());
            Map<String, Object> info = new LinkedHashMap<>(instanceInfo.get());
            info.put("sampler", sampler);
            store.write(instance, start, end, recorder.swap(), recorder.expiredUnreadNow(), info);
        } catch (RuntimeException e) {
            log.warn("usage bucket {} - {} not stored, dropped: {}", start, end, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
