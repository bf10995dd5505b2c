package dev.mtp.reconciler.check;

import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.ValueCodec;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.cachestore.WriteOutcome;
import dev.mtp.cachestore.WriteResult;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.common.version.VersionRule.OtherIncarnations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Redis as cache-store's scripts use it, in memory, for tests without a Redis: the same value encoding, and the
 * guard by cache-store's own Java rule ({@link VersionVector#decide}, with each write's {@code others}). The real
 * scripts are pinned against a real Redis by the integration tests.
 */
public final class FakeCache implements CachePort {

    public record Held(byte[] value, long expireAtMs) {}

    private final CacheKeys keys;
    private final ValueCodec codec = new ValueCodec(true, 256);
    private final LongSupplier clock;
    private final long tombstoneTtl = 300_000;
    private final Map<String, Held> data = new TreeMap<>();
    public final AtomicInteger inspected = new AtomicInteger();
    public final List<CacheWrite> writes = new ArrayList<>();
    public final List<String> rewrites = new ArrayList<>();
    public volatile boolean down;

    public FakeCache(CacheKeys keys, LongSupplier clockMillis) {
        this.keys = keys;
        this.clock = clockMillis;
    }

    public synchronized Held get(String key) {
        expire();
        return data.get(key);
    }

    public synchronized void put(String key, byte[] value, long expireAtMs) {
        data.put(key, new Held(value, expireAtMs));
    }

    public synchronized void delete(String key) {
        data.remove(key);
    }

    public synchronized void flushAll() {
        data.clear();
    }

    public synchronized Map<String, Held> all() {
        expire();
        return new TreeMap<>(data);
    }

    @Override
    public synchronized List<StoredKey> inspect(List<String> keyList) throws CacheUnavailableException {
        check();
        expire();
        List<StoredKey> out = new ArrayList<>();
        for (String k : keyList) {
            inspected.incrementAndGet();
            Held h = data.get(k);
            out.add(h == null ? new StoredKey(k, null, -2) : new StoredKey(k, h.value(), h.expireAtMs()));
        }
        return out;
    }

    @Override
    public synchronized List<WriteResult> write(List<CacheWrite> list) throws CacheUnavailableException {
        check();
        expire();
        List<WriteResult> out = new ArrayList<>();
        for (CacheWrite w : list) {
            writes.add(w);
            out.add(WriteResult.of(w, apply(w)));
        }
        return out;
    }

    @Override
    public synchronized RepairOutcome rewrite(StoredKey seen, RepairPlanner.Rewrite r) throws CacheUnavailableException {
        check();
        Held h = data.get(seen.key());
        byte[] current = h == null ? null : h.value();
        long exp = h == null ? -2 : h.expireAtMs();
        if (!Arrays.equals(current, seen.value()) || exp != seen.expireAtMs()) {
            return RepairOutcome.SUPERSEDED;
        }
        rewrites.add(r.key());
        data.put(r.key(), new Held(r.value(), r.expireAtMs() > 0 ? r.expireAtMs() : clock.getAsLong() + r.tombstoneTtlMs()));
        return RepairOutcome.APPLIED;
    }

    private void check() throws CacheUnavailableException {
        if (down) {
            throw new CacheUnavailableException("fake Redis is down", null);
        }
    }

    private void expire() {
        long now = clock.getAsLong();
        data.values().removeIf(h -> h.expireAtMs() >= 0 && h.expireAtMs() <= now);
    }

    private WriteOutcome apply(CacheWrite w) {
        long now = clock.getAsLong();
        return switch (w) {
            case CacheWrite.PutSession p -> p.value().expireAt().toEpochMilli() <= now
                    ? remove(keys.session(p.sessionId()), p.versions(), false, WriteOutcome.EXPIRED, p.others())
                    : put(keys.session(p.sessionId()), codec.session(p.value(), p.versions()), p.versions(),
                    p.value().expireAt().toEpochMilli(), p.others());
            case CacheWrite.RemoveSession r -> remove(keys.session(r.sessionId()), r.versions(), r.tombstoneIfAbsent(),
                    WriteOutcome.REMOVED, r.others());
            case CacheWrite.PurgeSession p -> {
                String key = keys.session(p.sessionId());
                Decision d = p.versions().decide(stored(key), p.others());
                if (d != Decision.APPLY) {
                    yield skipped(d);
                }
                data.keySet().removeIf(k -> k.startsWith(keys.interactionPrefix(p.sessionId())));
                data.remove(keys.latestResponse(p.sessionId()));
                data.put(key, new Held(ValueCodec.tombstone(p.versions()), now + tombstoneTtl));
                yield WriteOutcome.REMOVED;
            }
            case CacheWrite.PutInteraction p -> {
                VersionVector v = VersionVector.of(p.version());
                String key = keys.interaction(p.sessionId(), p.interactionId());
                yield p.value().expireAt().toEpochMilli() <= now
                        ? remove(key, v, false, WriteOutcome.EXPIRED, p.others())
                        : put(key, codec.interaction(p.value(), v), v, p.value().expireAt().toEpochMilli(), p.others());
            }
            case CacheWrite.RemoveInteraction r -> remove(keys.interaction(r.sessionId(), r.interactionId()),
                    VersionVector.of(r.version()), false, WriteOutcome.REMOVED, r.others());
            case CacheWrite.PutLatestResponse p -> {
                VersionVector v = VersionVector.of(p.version());
                String key = keys.latestResponse(p.sessionId());
                yield p.value().expireAt().toEpochMilli() <= now
                        ? remove(key, v, false, WriteOutcome.EXPIRED, p.others())
                        : put(key, codec.latestResponse(p.value(), v), v, p.value().expireAt().toEpochMilli(),
                        p.others());
            }
            case CacheWrite.RemoveLatestResponse r -> remove(keys.latestResponse(r.sessionId()),
                    VersionVector.of(r.version()), false, WriteOutcome.REMOVED, r.others());
        };
    }

    private VersionVector stored(String key) {
        Held h = data.get(key);
        if (h == null) {
            return null;
        }
        try {
            return ValueCodec.header(h.value()).versions();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static WriteOutcome skipped(Decision d) {
        return switch (d) {
            case DUPLICATE -> WriteOutcome.DUPLICATE;
            case STALE -> WriteOutcome.STALE;
            case OTHER_INCARNATION -> WriteOutcome.OTHER_INCARNATION;
            case APPLY -> throw new IllegalArgumentException("applied, not skipped");
        };
    }

    private WriteOutcome put(String key, byte[] value, VersionVector v, long expireAt, OtherIncarnations others) {
        Decision d = v.decide(stored(key), others);
        if (d != Decision.APPLY) {
            return skipped(d);
        }
        data.put(key, new Held(value, expireAt));
        return WriteOutcome.WRITTEN;
    }

    private WriteOutcome remove(String key, VersionVector v, boolean tombstoneIfAbsent, WriteOutcome removed,
                                OtherIncarnations others) {
        Held h = data.get(key);
        if (h == null && !tombstoneIfAbsent) {
            return removed == WriteOutcome.EXPIRED ? WriteOutcome.EXPIRED : WriteOutcome.ABSENT;
        }
        Decision d = v.decide(stored(key), others);
        if (d != Decision.APPLY) {
            return skipped(d);
        }
        data.put(key, new Held(ValueCodec.tombstone(v), clock.getAsLong() + tombstoneTtl));
        return removed;
    }
}
