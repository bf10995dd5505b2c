package dev.mtp.reconciler.check;

import dev.mtp.common.config.ConfigKey;

import java.time.Duration;

/** The settings of a check round that the reconciler and {@code shadow check} share. */
public final class CheckKeys {
    private CheckKeys() {}

    public static final ConfigKey<Duration> CHECK_DELAY_MS = ConfigKey.durationMs("app.reconciler.check-delay-ms")
            .range(0, 3_600_000)
            .withDefault(Duration.ofMillis(5_000))
            .withDoc("A key is checked against Redis this long after its last change, in ms. Keep it above "
                    + "cache-writer's normal lag, so the reconciler repairs only what cache-writer did not write in "
                    + "time; a key that changed again meanwhile is checked this long after that change.");

    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.integer("app.reconciler.batch-size")
            .range(1, 100_000)
            .withDefault(500)
            .withDoc("Keys read from Redis in one pipelined round trip, and repairs written in one.");

    public static final ConfigKey<Duration> TTL_TOLERANCE_MS = ConfigKey.durationMs("app.reconciler.ttl-tolerance-ms")
            .range(0, 3_600_000)
            .withDefault(Duration.ofMillis(1_000))
            .withDoc("A key's absolute expiry in Redis may differ this much from the desired one, in ms, before it "
                    + "counts as a wrong TTL. Writers set the same absolute expiry, so a difference means drift.");
}
