package dev.mtp.ingest.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.usage.CachingLevel;
import dev.mtp.common.usage.KeyHash;
import dev.mtp.common.usage.ReadOutcome;
import dev.mtp.common.usage.ReadShape;
import dev.mtp.common.usage.ShardsSampler;
import dev.mtp.common.usage.StrategyChoice;
import dev.mtp.common.usage.UsageTally;
import dev.mtp.common.usage.WhatIf;
import dev.mtp.ingest.application.read.EntityReader;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what the ingest sees, per entity type and strategy, into the current time bucket: every write (events,
 * bytes) and every read (what answered it, why MongoDB did when it did, latency), and for the keys the SHARDS sampler
 * picks, reuse times, gaps between writes and keys that expired unread. The cost of an unsampled read is a hash, a
 * map lookup and a few counters under the tally's lock.
 *
 * <p>A read's reuse time is taken from the key's last write as this instance saw it, else from the entity's own
 * timestamp in the answer ({@code lastActivityAt} of a session, which interactions also move, {@code recordedAt} of
 * an interaction): so reads of keys another instance wrote, or written before a restart, still count.
 */
public final class UsageRecorder {
    private final Clock clock;
    private final ShardsSampler sampler;
    private volatile Map<String, UsageTally> bucket = new ConcurrentHashMap<>();

    public UsageRecorder(Clock clock, ShardsSampler sampler) {
        this.clock = clock;
        this.sampler = sampler;
    }

    public ShardsSampler sampler() {
        return sampler;
    }

    public void write(EventEnvelope event, int valueBytes) {
        EntityType entity = entityOf(event.type());
        if (entity == null) {
            return; // evaluations are not cached
        }
        CacheStrategy<?> strategy = event.cacheStrategy() == null ? null : parse(entity, event.cacheStrategy());
        String name = strategy == null ? "UNCHANGED" : strategy.name();
        UsageTally tally = tally(TallyKeys.key(entity, name));
        synchronized (tally) {
            tally.write(valueBytes);
        }
        long hash = KeyHash.of(TallyKeys.key(entity, event.entityId()));
        if (!sampler.sampled(hash)) {
            return;
        }
        long now = clock.millis();
        int code = strategy == null ? -1 : code(entity, strategy);
        ShardsSampler.PreviousWrite previous = sampler.write(hash, now, code);
        if (previous == null) {
            return;
        }
        if (code < 0 && previous.strategyCode() >= 0) {
            // An update that keeps the strategy: the key's strategy is the one it had.
            code = previous.strategyCode();
            sampler.write(hash, now, code);
        }
        double weight = 1 / sampler.rate();
        if (code >= 0) {
            UsageTally sampled = tally(TallyKeys.key(entity, strategyOf(code).name()));
            synchronized (sampled) {
                sampled.sampledWrite(previous.writeMs() < 0 ? -1 : (now - previous.writeMs()) / 1000.0, weight);
            }
        }
        if (previous.writeMs() >= 0 && !previous.read() && previous.strategyCode() >= 0) {
            CacheStrategy<?> before = strategyOf(previous.strategyCode());
            if (before.caches() && now - previous.writeMs() > WhatIf.ttlSeconds(before) * 1000) {
                UsageTally expired = tally(TallyKeys.key(entity, before.name()));
                synchronized (expired) {
                    expired.expiredUnread(weight);
                }
            }
        }
    }

    /** A read and its answer; {@code nanos} is the whole read, Redis then MongoDB when it fell back. */
    public void read(EntityType entity, String id, Optional<EntityReader.Found> found, long nanos) {
        double latencyMs = nanos / 1e6;
        if (found.isEmpty()) {
            UsageTally tally = tally(TallyKeys.key(entity, TallyKeys.NOT_FOUND));
            synchronized (tally) {
                tally.read(ReadOutcome.NOT_FOUND, null, latencyMs);
            }
            return;
        }
        EntityReader.Found answer = found.get();
        CacheStrategy<?> strategy = answer.strategy() == null ? null : parse(entity, answer.strategy());
        if (strategy == null) {
            return; // a document without a strategy (a session only ever updated): nothing to judge a strategy by
        }
        long now = clock.millis();
        long hash = KeyHash.of(TallyKeys.key(entity, id));
        long localWrite = sampler.read(hash);
        long lastWrite = localWrite >= 0 ? localWrite : entityTimestamp(entity, answer.document());
        double sinceWrite = lastWrite >= 0 ? (now - lastWrite) / 1000.0 : Double.NaN;
        ReadOutcome outcome = answer.tier() == EntityReader.Tier.REDIS ? ReadOutcome.REDIS_HIT
                : ReadOutcome.fallback(strategy.caches(), WhatIf.ttlSeconds(strategy), sinceWrite);
        CachingLevel needed = ReadShape.needed(entity, strategy, answer.document());
        UsageTally tally = tally(TallyKeys.key(entity, strategy.name()));
        synchronized (tally) {
            tally.read(outcome, needed, latencyMs);
            if (localWrite != ShardsSampler.NOT_SAMPLED) {
                double weight = 1 / sampler.rate();
                if (Double.isNaN(sinceWrite)) {
                    tally.sampledUnknownReuse(weight);
                } else {
                    tally.sampledReuse(needed, Math.max(0, sinceWrite), weight);
                }
            }
        }
    }

    /** Ends the current bucket: its tallies, and a fresh bucket for what comes next. */
    public Map<String, UsageTally> swap() {
        Map<String, UsageTally> done = bucket;
        bucket = new ConcurrentHashMap<>();
        Map<String, UsageTally> copy = new HashMap<>();
        done.forEach((key, tally) -> {
            synchronized (tally) {
                copy.put(key, tally);
            }
        });
        return copy;
    }

    /** Sampled keys whose last write expired without a read and was not rewritten yet, weighted, by tally key. */
    public Map<String, Double> expiredUnreadNow() {
        long now = clock.millis();
        double weight = 1 / sampler.rate();
        Map<String, Double> out = new HashMap<>();
        sampler.forEachUnread((writeMs, code) -> {
            if (code >= 0) {
                CacheStrategy<?> strategy = strategyOf(code);
                if (strategy.caches() && now - writeMs > WhatIf.ttlSeconds(strategy) * 1000) {
                    out.merge(TallyKeys.key(code < 4 ? EntityType.SESSION : EntityType.INTERACTION, strategy.name()), weight, Double::sum);
                }
            }
        });
        return out;
    }

    private UsageTally tally(String key) {
        return bucket.computeIfAbsent(key, k -> new UsageTally());
    }

    private static EntityType entityOf(EventType type) {
        return switch (type) {
            case SESSION_CREATED, SESSION_UPDATED -> EntityType.SESSION;
            case INTERACTION_RECORDED -> EntityType.INTERACTION;
            default -> null;
        };
    }

    /** The strategy of that name, or null for a name this version does not know (a direct producer's). */
    private static CacheStrategy<?> parse(EntityType entity, String name) {
        return StrategyChoice.strategiesOf(entity).stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** 0-3 the session strategies, 4-7 the interaction ones, in rung order. */
    private static int code(EntityType entity, CacheStrategy<?> strategy) {
        return (entity == EntityType.SESSION ? 0 : 4) + CachingLevel.of(strategy).ordinal();
    }

    private static CacheStrategy<?> strategyOf(int code) {
        CachingLevel level = CachingLevel.values()[code % 4];
        return level.strategy(code < 4 ? EntityType.SESSION : EntityType.INTERACTION);
    }

    /** The entity's last write as its answer says, epoch ms, or -1. */
    static long entityTimestamp(EntityType entity, Map<String, Object> document) {
        Object value = entity == EntityType.SESSION
                ? document.getOrDefault("lastActivityAt", document.get("updatedAt"))
                : document.get("recordedAt");
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof String text) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }
}
