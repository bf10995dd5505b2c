package dev.mtp.chaos.check;

import dev.mtp.chaos.model.Expected;

import java.util.List;
import java.util.stream.Stream;

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
        Differences mongo = new Differences(Finding.Store.MONGODB);
        MongoComparison.compare(expected, store, mongo);
        Differences redis = new Differences(Finding.Store.REDIS);
        CacheComparison.compare(expected, store, cachePrefix, settleMillis, redis);
        return Stream.concat(mongo.findings().stream(), redis.findings().stream()).toList();
    }
}
