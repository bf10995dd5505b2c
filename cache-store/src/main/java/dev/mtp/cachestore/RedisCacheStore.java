package dev.mtp.cachestore;

import dev.mtp.common.projection.Projection;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionField;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * {@link CacheStore} on one Lettuce connection (a Redis Cluster connection in cluster mode) shared by every caller of
 * the process. Auto-flush is off: each call sends its commands and flushes them together, so a batch is one pipeline
 * (one per node in a cluster); commands of concurrent callers simply share the flush. While a standalone Redis is
 * unreachable commands fail at once; in a cluster they wait for the node's connection. Either way every command fails
 * after {@code app.cache.command-timeout-ms}: callers decide what to retry. A command that was sent but whose answer
 * was lost may still execute later; every write is version-guarded, so that changes nothing.
 */
public final class RedisCacheStore implements CacheStore {

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final String[] NO_KEYS = new String[0];

    private final AbstractRedisClient client;
    private final StatefulConnection<String, byte[]> connection;
    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private final CacheKeys keys;
    private final ValueCodec codec;
    private final byte[] tombstoneTtlMs;
    private final Duration commandTimeout;
    private final Clock clock;

    private RedisCacheStore(AbstractRedisClient client, StatefulConnection<String, byte[]> connection,
                            RedisClusterAsyncCommands<String, byte[]> commands, CacheStoreSettings settings,
                            Clock clock) {
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.keys = settings.keys();
        this.codec = settings.codec();
        this.tombstoneTtlMs = ascii(settings.tombstoneTtl().toMillis());
        this.commandTimeout = settings.commandTimeout();
        this.clock = clock;
    }

    /**
     * Connects to Redis (or a Redis Cluster, through the seed node of {@code redis.url}). The store owns the client
     * and shuts it down on {@link #close()}. Connecting fails fast when Redis does not answer; callers wait for
     * readiness with {@link #ping()}.
     */
    public static RedisCacheStore open(CacheStoreSettings settings, Clock clock) {
        RedisURI uri = RedisURI.create(settings.redisUrl());
        uri.setTimeout(settings.commandTimeout());
        SocketOptions socket = SocketOptions.builder().connectTimeout(settings.commandTimeout()).build();
        TimeoutOptions timeouts = TimeoutOptions.builder().fixedTimeout(settings.commandTimeout()).build();
        if (settings.cluster()) {
            RedisClusterClient cluster = RedisClusterClient.create(uri);
            // Node connections open lazily, on a node's first command: commands wait for them (bounded by the
            // command timeout) rather than being rejected, else every first write to a node would fail.
            cluster.setOptions(ClusterClientOptions.builder()
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .sslOptions(RedisTls.options(settings.tlsCaFile()))
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .build())
                    .build());
            try {
                StatefulRedisClusterConnection<String, byte[]> c = cluster.connect(CODEC);
                c.setAutoFlushCommands(false);
                return new RedisCacheStore(cluster, c, c.async(), settings, clock);
            } catch (RuntimeException e) {
                cluster.shutdown();
                throw e;
            }
        }
        RedisClient standalone = RedisClient.create(uri);
        standalone.setOptions(ClientOptions.builder()
                .socketOptions(socket)
                .timeoutOptions(timeouts)
                .sslOptions(RedisTls.options(settings.tlsCaFile()))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
            StatefulRedisConnection<String, byte[]> c = standalone.connect(CODEC);
            c.setAutoFlushCommands(false);
            return new RedisCacheStore(standalone, c, c.async(), settings, clock);
        } catch (RuntimeException e) {
            standalone.shutdown();
            throw e;
        }
    }

    @Override
    public CacheKeys keys() {
        return keys;
    }

    // ---------------------------------------------------------------- writes

    /**
     * One script call, ready to send, and how its integer reply maps to the write's result; {@code second} is set when
     * the call carries two writes (an interaction and its latest response), whose result {@code secondResult} maps.
     */
    private record Call(CacheWrite write, Script script, String[] keys, byte[][] args,
                        LongFunction<WriteResult> result, CacheWrite second, LongFunction<WriteResult> secondResult) {
        Call(CacheWrite write, Script script, String[] keys, byte[][] args, LongFunction<WriteResult> result) {
            this(write, script, keys, args, result, null, null);
        }
    }

    @Override
    public CompletableFuture<List<WriteResult>> write(List<CacheWrite> writes) {
        if (writes.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<Call> calls = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            CacheWrite w = writes.get(i);
            CacheWrite next = i + 1 < writes.size() ? writes.get(i + 1) : null;
            Call combined = interactionAndLatest(w, next);
            if (combined != null) {
                calls.add(combined);
                i++;
            } else {
                calls.add(call(w));
            }
        }
        List<CompletableFuture<Long>> replies = new ArrayList<>(calls.size());
        for (Call c : calls) {
            replies.add(send(c, false));
        }
        connection.flushCommands();
        return settle(replies).thenCompose(done -> retryUnknownScripts(calls, replies))
                .orTimeout(commandTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    /** Re-sends by EVAL the calls the server answered NOSCRIPT (it then knows the script), then maps the replies. */
    private CompletableFuture<List<WriteResult>> retryUnknownScripts(List<Call> calls, List<CompletableFuture<Long>> replies) {
        List<CompletableFuture<Long>> finalReplies = new ArrayList<>(replies);
        boolean resent = false;
        for (int i = 0; i < calls.size(); i++) {
            if (failedWith(replies.get(i), RedisNoScriptException.class)) {
                finalReplies.set(i, send(calls.get(i), true));
                resent = true;
            }
        }
        if (resent) {
            connection.flushCommands();
        }
        return settle(finalReplies).thenApply(done -> {
            List<WriteResult> results = new ArrayList<>(calls.size() + 8);
            for (int i = 0; i < calls.size(); i++) {
                Call c = calls.get(i);
                CompletableFuture<Long> reply = finalReplies.get(i);
                try {
                    long r = reply.join();
                    results.add(c.result().apply(r));
                    if (c.second() != null) {
                        results.add(c.secondResult().apply(r));
                    }
                } catch (RuntimeException e) {
                    results.add(WriteResult.failed(c.write(), unwrap(e)));
                    if (c.second() != null) {
                        results.add(WriteResult.failed(c.second(), unwrap(e)));
                    }
                }
            }
            return results;
        });
    }

    private CompletableFuture<Long> send(Call c, boolean eval) {
        return (eval
                ? commands.<Long>eval(c.script().bytesShared(), ScriptOutputType.INTEGER, c.keys(), c.args())
                : commands.<Long>evalsha(c.script().sha1(), ScriptOutputType.INTEGER, c.keys(), c.args()))
                .toCompletableFuture();
    }

    private Call call(CacheWrite write) {
        long now = clock.millis();
        return switch (write) {
            case CacheWrite.PutSession p -> {
                String key = keys.session(p.sessionId());
                yield expired(p.value(), now)
                        ? removeExpired(write, key, p.versions())
                        : put(write, key, codec.session(p.value(), p.versions()), p.value());
            }
            case CacheWrite.RemoveSession r -> remove(write, keys.session(r.sessionId()), r.versions(),
                    r.tombstoneIfAbsent(), WriteOutcome.REMOVED);
            case CacheWrite.PurgeSession p -> new Call(write, Script.PURGE_SESSION,
                    new String[] {keys.session(p.sessionId()), keys.latestResponse(p.sessionId()),
                            keys.interactionIndex(p.sessionId())},
                    new byte[][] {ValueCodec.tombstone(p.versions()), tombstoneTtlMs,
                            keys.interactionPrefix(p.sessionId()).getBytes(StandardCharsets.UTF_8), others(write)},
                    reply -> guarded(write, reply, WriteOutcome.REMOVED));
            case CacheWrite.PutInteraction p -> {
                String key = keys.interaction(p.sessionId(), p.interactionId());
                VersionVector v = VersionVector.of(p.version());
                if (expired(p.value(), now)) {
                    yield removeExpired(write, key, v);
                }
                yield new Call(write, Script.PUT_INTERACTION, new String[] {key, keys.interactionIndex(p.sessionId())},
                        new byte[][] {codec.interaction(p.value(), v), ascii(p.value().expireAt().toEpochMilli()),
                                p.interactionId().getBytes(StandardCharsets.UTF_8), others(write)},
                        reply -> guarded(write, reply, WriteOutcome.WRITTEN));
            }
            case CacheWrite.RemoveInteraction r -> remove(write, keys.interaction(r.sessionId(), r.interactionId()),
                    VersionVector.of(r.version()), false, WriteOutcome.REMOVED);
            case CacheWrite.PutLatestResponse p -> {
                String key = keys.latestResponse(p.sessionId());
                VersionVector v = VersionVector.of(p.version());
                yield expired(p.value(), now)
                        ? removeExpired(write, key, v)
                        : put(write, key, codec.latestResponse(p.value(), v), p.value());
            }
            case CacheWrite.RemoveLatestResponse r -> remove(write, keys.latestResponse(r.sessionId()),
                    VersionVector.of(r.version()), false, WriteOutcome.REMOVED);
        };
    }

    private static final byte[] SUPERSEDE = "supersede".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP = "keep".getBytes(StandardCharsets.US_ASCII);

    /** The scripts' argument for the write's {@link OtherIncarnations}. */
    private static byte[] others(CacheWrite write) {
        return switch (write.others()) {
            case SUPERSEDE -> SUPERSEDE;
            case KEEP -> KEEP;
        };
    }

    /**
     * An interaction put directly followed by the latest-response put of the same interaction (as
     * {@link CacheWrite#interaction} and cache-writer's batches order them) goes as one script call; null otherwise.
     */
    private Call interactionAndLatest(CacheWrite first, CacheWrite second) {
        if (!(first instanceof CacheWrite.PutInteraction p) || !(second instanceof CacheWrite.PutLatestResponse l)
                || !p.sessionId().equals(l.sessionId()) || !p.version().equals(l.version())
                || p.others() != l.others()) {
            return null;
        }
        long now = clock.millis();
        if (expired(p.value(), now) || expired(l.value(), now)) {
            return null;
        }
        VersionVector v = VersionVector.of(p.version());
        return new Call(first, Script.PUT_INTERACTION_AND_LATEST,
                new String[] {keys.interaction(p.sessionId(), p.interactionId()), keys.interactionIndex(p.sessionId()),
                        keys.latestResponse(p.sessionId())},
                new byte[][] {codec.interaction(p.value(), v), ascii(p.value().expireAt().toEpochMilli()),
                        p.interactionId().getBytes(StandardCharsets.UTF_8), codec.latestResponse(l.value(), v),
                        ascii(l.value().expireAt().toEpochMilli()), others(first)},
                reply -> guarded(first, reply / 5 - 2, WriteOutcome.WRITTEN),
                second, reply -> guarded(second, reply % 5 - 2, WriteOutcome.WRITTEN));
    }

    private static boolean expired(Projection<?> value, long nowMs) {
        return value.expireAt().toEpochMilli() <= nowMs;
    }

    private Call put(CacheWrite write, String key, byte[] value, Projection<?> projection) {
        return new Call(write, Script.PUT, new String[] {key},
                new byte[][] {value, ascii(projection.expireAt().toEpochMilli()), others(write)},
                reply -> guarded(write, reply, WriteOutcome.WRITTEN));
    }

    private Call remove(CacheWrite write, String key, VersionVector versions, boolean tombstoneIfAbsent,
                        WriteOutcome removed) {
        return new Call(write, Script.REMOVE, new String[] {key},
                new byte[][] {ValueCodec.tombstone(versions), tombstoneTtlMs, ascii(tombstoneIfAbsent ? 1 : 0),
                        others(write)},
                reply -> reply == NOTHING_THERE
                        ? WriteResult.of(write, removed == WriteOutcome.EXPIRED ? WriteOutcome.EXPIRED : WriteOutcome.ABSENT)
                        : guarded(write, reply, removed));
    }

    /** A value whose TTL has passed is not written; an older copy of it is removed if there is one. */
    private Call removeExpired(CacheWrite write, String key, VersionVector versions) {
        return remove(write, key, versions, false, WriteOutcome.EXPIRED);
    }

    /** remove.lua's answer when there was nothing to remove and no tombstone was asked for. */
    private static final long NOTHING_THERE = 3;

    /** Maps the guard's answer ({@code decide} in prelude.lua) to the write's result. */
    private static WriteResult guarded(CacheWrite write, long reply, WriteOutcome applied) {
        return switch ((int) reply) {
            case 1 -> WriteResult.of(write, applied);
            case 2 -> WriteResult.superseding(write, applied);
            case 0 -> WriteResult.of(write, WriteOutcome.DUPLICATE);
            case -1 -> WriteResult.of(write, WriteOutcome.STALE);
            case -2 -> WriteResult.of(write, WriteOutcome.OTHER_INCARNATION);
            default -> throw new IllegalStateException("unexpected script reply " + reply);
        };
    }

    // ---------------------------------------------------------------- reads

    @Override
    public CompletableFuture<Optional<CachedValue<SessionField>>> session(String sessionId) {
        return get(keys.session(sessionId)).thenApply(v -> v == null ? Optional.empty()
                : ValueCodec.decodeSession(sessionId, v));
    }

    @Override
    public CompletableFuture<Optional<CachedValue<InteractionField>>> interaction(String sessionId, String interactionId) {
        return get(keys.interaction(sessionId, interactionId)).thenApply(v -> v == null ? Optional.empty()
                : ValueCodec.decodeInteraction(sessionId, interactionId, v));
    }

    @Override
    public CompletableFuture<Optional<CachedValue<InteractionField>>> latestResponse(String sessionId) {
        return get(keys.latestResponse(sessionId)).thenApply(v -> v == null ? Optional.empty()
                : ValueCodec.decodeLatestResponse(sessionId, v));
    }

    @Override
    public CompletableFuture<Set<String>> interactionIds(String sessionId) {
        return get(keys.interactionIndex(sessionId)).thenApply(index -> {
            java.util.TreeSet<String> ids = new java.util.TreeSet<>();
            if (index != null) {
                for (String id : new String(index, StandardCharsets.UTF_8).split("\n")) {
                    if (!id.isEmpty()) {
                        ids.add(id);
                    }
                }
            }
            return ids;
        });
    }

    @Override
    public CompletableFuture<StoredKey> inspect(String key) {
        Call c = new Call(null, Script.INSPECT, new String[] {key}, new byte[0][], null);
        CompletableFuture<List<Object>> first = inspectCall(c, false);
        connection.flushCommands();
        return first.handle((reply, error) -> {
            if (error != null && unwrap(error) instanceof RedisNoScriptException) {
                CompletableFuture<List<Object>> again = inspectCall(c, true);
                connection.flushCommands();
                return again;
            }
            return error != null ? CompletableFuture.<List<Object>>failedFuture(unwrap(error))
                    : CompletableFuture.completedFuture(reply);
        }).thenCompose(f -> f).thenApply(reply -> new StoredKey(key, (byte[]) reply.get(0), (Long) reply.get(1)));
    }

    @Override
    public CompletableFuture<List<StoredKey>> inspect(List<String> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        // One flush for the whole round: flushing per key costs a write syscall per key on both sides.
        List<Call> calls = new ArrayList<>(keys.size());
        List<CompletableFuture<List<Object>>> replies = new ArrayList<>(keys.size());
        for (String key : keys) {
            Call c = new Call(null, Script.INSPECT, new String[] {key}, new byte[0][], null);
            calls.add(c);
            replies.add(inspectCall(c, false));
        }
        connection.flushCommands();
        return CompletableFuture.allOf(replies.stream().map(f -> f.handle((v, e) -> null))
                        .toArray(CompletableFuture[]::new))
                .thenCompose(done -> {
                    List<CompletableFuture<List<Object>>> finalReplies = new ArrayList<>(replies);
                    boolean resent = false;
                    for (int i = 0; i < calls.size(); i++) {
                        if (failedWith(replies.get(i), RedisNoScriptException.class)) {
                            finalReplies.set(i, inspectCall(calls.get(i), true));
                            resent = true;
                        }
                    }
                    if (resent) {
                        connection.flushCommands();
                    }
                    return CompletableFuture.allOf(finalReplies.toArray(CompletableFuture[]::new))
                            .thenApply(all -> {
                                List<StoredKey> out = new ArrayList<>(keys.size());
                                for (int i = 0; i < keys.size(); i++) {
                                    List<Object> reply = finalReplies.get(i).join();
                                    out.add(new StoredKey(keys.get(i), (byte[]) reply.get(0), (Long) reply.get(1)));
                                }
                                return out;
                            });
                })
                .orTimeout(commandTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<List<Object>> inspectCall(Call c, boolean eval) {
        return (eval
                ? commands.<List<Object>>eval(c.script().bytesShared(), ScriptOutputType.MULTI, c.keys())
                : commands.<List<Object>>evalsha(c.script().sha1(), ScriptOutputType.MULTI, c.keys()))
                .toCompletableFuture();
    }

    @Override
    public CompletableFuture<String> ping() {
        CompletableFuture<String> pong = commands.ping().toCompletableFuture();
        connection.flushCommands();
        return pong;
    }

    private CompletableFuture<byte[]> get(String key) {
        CompletableFuture<byte[]> value = commands.get(key).toCompletableFuture();
        connection.flushCommands();
        return value;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static CompletableFuture<Void> settle(List<CompletableFuture<Long>> replies) {
        return CompletableFuture.allOf(replies.stream().map(f -> f.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new));
    }

    private static boolean failedWith(CompletableFuture<?> reply, Class<? extends Throwable> type) {
        if (!reply.isCompletedExceptionally()) {
            return false;
        }
        try {
            reply.join();
            return false;
        } catch (RuntimeException e) {
            return type.isInstance(unwrap(e));
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    static String[] noKeys() {
        return NO_KEYS;
    }
}
