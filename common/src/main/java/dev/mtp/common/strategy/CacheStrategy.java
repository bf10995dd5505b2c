package dev.mtp.common.strategy;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** What a cache strategy decides: which fields are cached and how long they live. */
public interface CacheStrategy<F extends Enum<F>> {

    String name();

    /** Empty for NONE: nothing is cached. */
    Optional<Duration> ttl();

    Set<F> fields();

    /** The seed's "Memory Usage Comparison" figure for one cached key, in bytes (0 for NONE). */
    int targetBytes();

    boolean caches();
}
