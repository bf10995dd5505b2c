package dev.mtp.ingest.usage;

import dev.mtp.common.strategy.StrategyDefaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The analysis use cases over the stored usage of every instance, the key space and this instance's sync counters. */
public final class UsageService {
    private static final Logger log = LoggerFactory.getLogger(UsageService.class);
    public static final int DEFAULT_WINDOW_MINUTES = 24 * 60;

    private final UsageStore store;
    private final Optional<KeySpaceScan> scan;
    private final Clock clock;
    private final StrategyDefaults profile;

    public UsageService(UsageStore store, Optional<KeySpaceScan> scan, Clock clock, StrategyDefaults profile) {
        this.store = store;
        this.scan = scan;
        this.clock = clock;
        this.profile = profile;
    }

    /** The longest window: what the store keeps. */
    public int maxWindowMinutes() {
        return (int) Math.max(1, store.retention().toMinutes());
    }

    public int defaultWindowMinutes() {
        return Math.min(DEFAULT_WINDOW_MINUTES, maxWindowMinutes());
    }

    public StrategyDefaults profile() {
        return profile;
    }

    public Map<String, Object> analyze(int windowMinutes) {
        return analysis(windowMinutes).analyze(windowMinutes, profile.describe());
    }

    public Map<String, Object> recommend(int windowMinutes) {
        return Recommendations.fromUsage(analysis(windowMinutes), windowMinutes, profile);
    }

    private UsageAnalysis analysis(int windowMinutes) {
        UsageStore.UsageHistory history = store.read(clock.instant(), Duration.ofMinutes(windowMinutes));
        return new UsageAnalysis(history, keySpace(scan));
    }

    /** The key space, or why it is not there: a failed scan does not fail the analysis. */
    public static KeySpace keySpace(Optional<KeySpaceScan> scan) {
        if (scan.isEmpty()) {
            return KeySpace.unavailable("no key space scan (reads are off or Redis runs as a cluster)");
        }
        try {
            return scan.get().scan();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return KeySpace.unavailable("interrupted");
        } catch (Exception e) {
            log.warn("key space scan failed: {}", e.toString());
            return KeySpace.unavailable("scan failed: " + e.getClass().getSimpleName());
        }
    }
}
