package dev.mtp.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.chaos.model.Expected;
import dev.mtp.chaos.model.InteractionExpect;
import dev.mtp.chaos.model.SessionExpect;
import dev.mtp.chaos.model.Strategies;
import dev.mtp.chaos.model.Strategies.Strategy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every cache key against the fold (README "Cache strategies", docs/decisions/0002): a live entity with a caching
 * strategy has its key with exactly the strategy's fields and an expiry of the strategy's TTL after its last event; a
 * NONE, deleted or expired one has none (a tombstone counts as none). Keys within {@code settleMillis} of their
 * expiry are not judged either way: they may be gone by the time they are read.
 */
final class CacheComparison {

    /** Writers' and this reader's clocks, and millisecond rounding of event times. */
    static final long EXPIRY_SLACK_MILLIS = 1_000;

    private CacheComparison() {}

    /** One key the fold asks for: its strategy, expected body fields and the window its expiry must fall in. */
    private record Want(Strategy strategy, Map<String, Object> fields, List<Long> offsets, long earliestExpiry,
                        long latestExpiry) {
    }

    static void compare(Expected expected, StoreSnapshot store, String prefix, long settleMillis, Differences out) {
        long now = store.readAtMillis();
        Map<String, Want> wanted = new LinkedHashMap<>();
        Set<String> unjudged = new HashSet<>();
        Map<String, String> whyAbsent = new HashMap<>();
        for (SessionExpect s : expected.sessions().values()) {
            String key = prefix + "{" + s.sessionId + "}:s";
            if (!s.created) {
                continue;
            }
            Strategy strategy = s.strategy == null ? null : Strategies.session(s.strategy);
            if (!s.live() || strategy == null || !strategy.caches()) {
                whyAbsent.put(key, s.deleted ? "deleted" : "strategy NONE");
                continue;
            }
            long ttl = strategy.ttl().orElseThrow().toMillis();
            want(key, new Want(strategy, sessionFields(s, strategy), List.of(s.sessionsVersion, s.interactionsVersion),
                    s.lastEventAt() + ttl, s.maxEventAt + ttl), now, settleMillis, wanted, unjudged, whyAbsent);
        }
        Map<String, InteractionExpect> latest = new HashMap<>();
        for (InteractionExpect i : expected.interactions().values()) {
            String key = prefix + "{" + i.sessionId + "}:i:" + i.interactionId;
            if (!i.recorded) {
                whyAbsent.put(key, "never recorded, only evaluated");
                continue;
            }
            latest.merge(i.sessionId, i, (a, b) -> a.offset > b.offset ? a : b);
            SessionExpect s = expected.sessions().get(i.sessionId);
            Strategy strategy = i.strategy == null ? null : Strategies.interaction(i.strategy);
            if (i.erased || !s.live() || strategy == null || !strategy.caches()) {
                whyAbsent.put(key, i.erased || s.deleted ? "deleted" : "strategy NONE");
                continue;
            }
            long expiry = i.recordedAt + strategy.ttl().orElseThrow().toMillis();
            want(key, new Want(strategy, interactionFields(i, strategy), List.of(i.offset), expiry, expiry),
                    now, settleMillis, wanted, unjudged, whyAbsent);
        }
        for (InteractionExpect i : latest.values()) {
            SessionExpect s = expected.sessions().get(i.sessionId);
            String key = prefix + "{" + i.sessionId + "}:latest";
            Strategy strategy = i.strategy == null ? null : Strategies.interaction(i.strategy);
            if (i.erased || !s.live() || strategy == null || !strategy.caches()) {
                whyAbsent.put(key, i.erased || s.deleted ? "deleted" : "latest interaction's strategy NONE");
                continue;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", i.interactionId);
            fields.put("r", i.response);
            fields.put("t", i.recordedAt);
            long expiry = i.recordedAt + strategy.ttl().orElseThrow().toMillis();
            want(key, new Want(strategy, fields, List.of(i.offset), expiry, expiry), now, settleMillis, wanted,
                    unjudged, whyAbsent);
        }

        Map<String, CacheEntry> present = new HashMap<>();
        for (CacheEntry entry : store.cache()) {
            present.put(entry.key(), entry);
        }
        for (Map.Entry<String, Want> w : wanted.entrySet()) {
            CacheEntry entry = present.get(w.getKey());
            CacheValue value = entry == null ? null : parse(entry, out);
            if (entry != null && value == null) {
                continue;
            }
            if (value == null || value.tombstone()) {
                out.lost(w.getKey(), "missing (" + w.getValue().strategy().name() + ", expires at "
                        + w.getValue().latestExpiry() + ")");
            } else {
                judge(w.getKey(), w.getValue(), entry, value, out);
            }
        }
        for (CacheEntry entry : store.cache()) {
            String key = entry.key();
            if (wanted.containsKey(key) || unjudged.contains(key) || !key.startsWith(prefix + "{")) {
                continue;
            }
            if (key.endsWith(":ix")) {
                if (entry.expireAtMillis() < 0) {
                    out.wrong(key, "no expiry");
                }
                continue;
            }
            CacheValue value = parse(entry, out);
            if (value != null && !value.tombstone()) {
                out.wrong(key, "present when it should not be (" + whyAbsent.getOrDefault(key, "no event names it")
                        + ")");
            }
        }
    }

    private static void want(String key, Want want, long now, long settleMillis, Map<String, Want> wanted,
                             Set<String> unjudged, Map<String, String> whyAbsent) {
        if (want.latestExpiry() + EXPIRY_SLACK_MILLIS <= now - settleMillis) {
            whyAbsent.put(key, "expired at " + want.latestExpiry());
        } else if (want.earliestExpiry() - EXPIRY_SLACK_MILLIS <= now + settleMillis) {
            unjudged.add(key);
        } else {
            wanted.put(key, want);
        }
    }

    private static void judge(String key, Want want, CacheEntry entry, CacheValue value, Differences out) {
        if (value.strategy() != want.strategy().ordinal()) {
            out.wrong(key, "strategy: expected " + want.strategy().name() + " (" + want.strategy().ordinal()
                    + "), found " + value.strategy());
        }
        if (!value.offsets().equals(want.offsets())) {
            out.wrong(key, "versions: expected offsets " + want.offsets() + ", found " + value.offsets());
        }
        long expireAt = entry.expireAtMillis();
        if (expireAt < 0) {
            out.wrong(key, "no expiry (" + want.strategy().name() + " has a TTL)");
        } else if (expireAt > want.latestExpiry() + EXPIRY_SLACK_MILLIS) {
            out.wrong(key, "TTL too long: expires at " + expireAt + ", " + (expireAt - want.latestExpiry())
                    + " ms after " + want.strategy().name() + "'s TTL from the last event");
        } else if (expireAt < want.earliestExpiry() - EXPIRY_SLACK_MILLIS) {
            out.wrong(key, "TTL too short: expires at " + expireAt + ", " + (want.earliestExpiry() - expireAt)
                    + " ms before " + want.strategy().name() + "'s TTL from the last event");
        }
        JsonNode body = value.body();
        for (Map.Entry<String, Object> f : want.fields().entrySet()) {
            out.field(key, f.getKey(), f.getValue(), body.get(f.getKey()));
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!want.fields().containsKey(name)) {
                out.wrong(key, "caches '" + name + "', which " + want.strategy().name() + " does not");
            }
        });
    }

    private static CacheValue parse(CacheEntry entry, Differences out) {
        try {
            return CacheValue.parse(entry.value());
        } catch (IllegalArgumentException e) {
            out.wrong(entry.key(), e.getMessage());
            return null;
        }
    }

    private static Map<String, Object> sessionFields(SessionExpect s, Strategy strategy) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("u", s.userId);
        all.put("st", s.status);
        all.put("ca", s.createdAt);
        all.put("ua", s.updatedAt);
        all.put("la", s.lastActivityAt);
        all.put("cx", emptyAsAbsent(s.context));
        all.put("n", s.interactionIds.size());
        all.put("md", emptyAsAbsent(s.metadata));
        all.put("li", s.lastInteractionId);
        return only(all, strategy);
    }

    private static Map<String, Object> interactionFields(InteractionExpect i, Strategy strategy) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("r", i.response);
        all.put("t", i.recordedAt);
        all.put("q", i.request);
        all.put("cx", emptyAsAbsent(i.context));
        all.put("ro", i.role);
        all.put("md", emptyAsAbsent(i.metadata));
        all.put("pt", i.processingTimeMs);
        return only(all, strategy);
    }

    private static Map<String, Object> only(Map<String, Object> all, Strategy strategy) {
        Map<String, Object> fields = new LinkedHashMap<>();
        strategy.fields().forEach(f -> fields.put(f, all.get(f)));
        return fields;
    }

    private static JsonNode emptyAsAbsent(JsonNode map) {
        return map == null || map.isNull() || map.isEmpty() ? null : map;
    }
}
