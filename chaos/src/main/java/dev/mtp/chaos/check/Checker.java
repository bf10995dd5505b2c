package dev.mtp.chaos.check;

import dev.mtp.chaos.model.Expected;

import java.util.List;

/**
 * The verdict: the stores against the fold of the topics. Pure; the readers in {@code io} take the snapshot.
 */
public final class Checker {

    private Checker() {}

    /**
     * @param cachePrefix  the cache key prefix ({@code app.cache.key-prefix})
     * @param settleMillis keys this close to their expiry when read are not judged
     */
    public static List<Finding> check(Expected expected, StoreSnapshot store, String cachePrefix, long settleMillis) {
        Differences out = new Differences();
        MongoComparison.compare(expected, store, out);
        CacheComparison.compare(expected, store, cachePrefix, settleMillis, out);
        return List.copyOf(out.findings());
    }
}
