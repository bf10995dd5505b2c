package dev.mtp.chaos.run;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Follows a share of the acknowledged interactions until each is visible in Redis (its {@code :i:} key, for a caching
 * strategy) and in MongoDB (its document), polling every 10 ms: the freshness a reader sees, from outside. A write
 * not seen within a minute is dropped (its session may have been deleted, or the key expired).
 */
final class FreshnessProbes implements AutoCloseable {

    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final ConcurrentLinkedQueue<Traffic.ProbeTarget> incoming = new ConcurrentLinkedQueue<>();
    private final List<Pending> pending = new ArrayList<>();
    private final StatefulRedisConnection<byte[], byte[]> redis;
    private final MongoCollection<Document> interactions;
    private final Recorder recorder;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int behind;

    private static final class Pending {
        final Traffic.ProbeTarget target;
        boolean redisSeen;
        boolean mongoSeen;

        Pending(Traffic.ProbeTarget target) {
            this.target = target;
            this.redisSeen = !target.cached();
        }
    }

    FreshnessProbes(StatefulRedisConnection<byte[], byte[]> redis, MongoCollection<Document> interactions,
                    Recorder recorder) {
        this.redis = redis;
        this.interactions = interactions;
        this.recorder = recorder;
        this.thread = Thread.ofPlatform().name("freshness").daemon().start(this::loop);
    }

    void follow(Traffic.ProbeTarget target) {
        incoming.add(target);
    }

    /** Writes acknowledged but not yet visible in both stores: the drift curve of the timeline. */
    int behind() {
        return behind;
    }

    private void loop() {
        while (running) {
            Traffic.ProbeTarget t;
            while ((t = incoming.poll()) != null) {
                pending.add(new Pending(t));
            }
            try {
                round();
            } catch (RuntimeException e) {
                // a store down (a fault): the probes wait, and what stays unseen shows as staleness
            }
            behind = pending.size();
            Stack.sleep(10);
        }
    }

    private void round() {
        long now = System.nanoTime();
        List<Pending> redisOpen = pending.stream().filter(p -> !p.redisSeen).toList();
        List<RedisFuture<Long>> exists = new ArrayList<>();
        for (Pending p : redisOpen) {
            exists.add(redis.async().exists((Stack.CACHE_PREFIX + "{" + p.target.sessionId() + "}:i:"
                    + p.target.interactionId()).getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < redisOpen.size(); i++) {
            try {
                if (exists.get(i).get(2, TimeUnit.SECONDS) > 0) {
                    Pending p = redisOpen.get(i);
                    p.redisSeen = true;
                    record("redis", p, now);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        List<String> mongoOpen = pending.stream().filter(p -> !p.mongoSeen).map(p -> p.target.interactionId()).toList();
        if (!mongoOpen.isEmpty()) {
            Set<String> found = new HashSet<>();
            for (Document d : interactions.find(Filters.in("_id", mongoOpen)).projection(Projections.include("_id"))) {
                found.add(d.getString("_id"));
            }
            for (Pending p : pending) {
                if (!p.mongoSeen && found.contains(p.target.interactionId())) {
                    p.mongoSeen = true;
                    record("mongodb", p, now);
                }
            }
        }
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if ((p.redisSeen && p.mongoSeen) || now - p.target.ackNanos() > GIVE_UP_NANOS) {
                it.remove();
            }
        }
    }

    private void record(String store, Pending p, long seenNanos) {
        recorder.freshness.add(new Recorder.Freshness(store, p.target.phase(),
                Math.max(0, TimeUnit.NANOSECONDS.toMillis(seenNanos - p.target.ackNanos()))));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
