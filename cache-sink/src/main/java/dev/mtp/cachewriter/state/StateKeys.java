package dev.mtp.cachewriter.state;

import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The settings of the session states, read by cache-writer and by any tool that writes through its states. */
public final class StateKeys {
    private StateKeys() {}

    public static final ConfigKey<Duration> STATE_RESTORE_TIMEOUT_MS =
            ConfigKey.durationMs("app.cache-writer.state-restore-timeout-ms")
                    .range(1_000, 3_600_000)
                    .withDefault(Duration.ofMinutes(2))
                    .withDoc("Longest time to read the session states of newly assigned partitions from the state "
                            + "topic (runs inside the rebalance), and to get one batch's states acknowledged, in ms. "
                            + "A restore that takes longer stops the app; raise it for very many live sessions per "
                            + "partition.");

    /** The longest TTL of any cache strategy: a state evicted sooner could be missing while its key still lives. */
    private static final Duration LONGEST_TTL = Stream.<CacheStrategy<?>>concat(
                    Arrays.stream(SessionCacheStrategy.values()), Arrays.stream(InteractionCacheStrategy.values()))
            .map(CacheStrategy::ttl).flatMap(Optional::stream).max(Comparator.naturalOrder()).orElseThrow();

    public static final ConfigKey<Duration> STATE_RETENTION_MS =
            ConfigKey.durationMs("app.cache-writer.state-retention-ms")
                    .range(LONGEST_TTL.toMillis(), Duration.ofDays(365).toMillis())
                    .withDefault(Duration.ofDays(7))
                    .withDoc("How long a session's full state stays in memory (and in the state topic) without a "
                            + "change, in ms; evicted after one to two such periods. At least the longest cache TTL ("
                            + LONGEST_TTL.toMinutes() + " min), so every key it cached has expired. An event of an "
                            + "evicted session finds no state: its interaction keys are cached, its session key is "
                            + "not until it is created again (reads fall back to MongoDB; the reconciler restores "
                            + "it). Memory: about 650 bytes per session changed within the period.");
}
