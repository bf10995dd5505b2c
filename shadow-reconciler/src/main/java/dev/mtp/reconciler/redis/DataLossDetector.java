package dev.mtp.reconciler.redis;

import dev.mtp.reconciler.topology.RecoverySignal;
import dev.mtp.reconciler.tracking.ReconcilerMetrics;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices at once when Redis lost data, so the reconciler does not wait for its slow sweep to find every missing key.
 *
 * <p>A canary key that only the reconciler writes: its value is a token chosen by whichever instance (re)created it.
 * Every {@code app.reconciler.canary-interval-ms} each instance reads it (refreshing its one-day TTL). Absent means
 * Redis lost data (FLUSHALL, FLUSHDB, a restart without persistence, failover to an empty replica): the instance
 * re-creates it (SET NX, so concurrent instances agree on one token) and signals a recovery sweep. A token other
 * than the last one seen means another instance re-created it after a loss: recovery too. Absent at start counts as
 * a loss, since the reconciler cannot know what happened while it was down. A Redis that restarts with its data
 * (AOF, RDB) keeps the canary, and nothing happens.
 *
 * <p>On Redis Cluster the canary lives on one node; a loss on another node is found by the sweep.
 */
public final class DataLossDetector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataLossDetector.class);
    private static final long TTL_SECONDS = Duration.ofDays(1).toSeconds();

    private final StatefulRedisConnection<String, String> connection;
    private final String key;
    private final Duration interval;
    private final RecoverySignal signal;
    private final ReconcilerMetrics metrics;
    private final ScheduledExecutorService timer;
    private String lastToken;
    private boolean failing;

    public DataLossDetector(StatefulRedisConnection<String, String> connection, String key, Duration interval,
                            RecoverySignal signal, ReconcilerMetrics metrics) {
        this.connection = connection;
        this.key = key;
        this.interval = interval;
        this.signal = signal;
        this.metrics = metrics;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("redis-canary").factory());
    }

    /** The canary key of a reconciler application: {@code <key prefix>reconciler:canary:<application id>}. */
    public static String canaryKey(String keyPrefix, String applicationId) {
        return keyPrefix + "reconciler:canary:" + applicationId;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::checkQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One look at the canary; true when it found a loss. Called by the timer, and by tests. */
    public synchronized boolean check() {
        RedisCommands<String, String> redis = connection.sync();
        String token = redis.getex(key, GetExArgs.Builder.ex(TTL_SECONDS));
        if (token == null) {
            String mine = UUID.randomUUID().toString();
            String set = redis.set(key, mine, SetArgs.Builder.nx().ex(TTL_SECONDS));
            lastToken = "OK".equals(set) ? mine : redis.get(key);
            lost(lastToken == null || lastToken.equals(mine) ? "canary gone" : "canary gone, re-created by another instance");
            return true;
        }
        if (lastToken != null && !token.equals(lastToken)) {
            lastToken = token;
            lost("canary re-created by another instance");
            return true;
        }
        lastToken = token;
        return false;
    }

    private void lost(String why) {
        metrics.dataLoss();
        signal.dataLost();
        log.atWarn().setMessage("Redis lost data ({}): recovery sweep of every key starts").addArgument(why)
                .addKeyValue("canary", key).log();
    }

    private void checkQuietly() {
        try {
            check();
            if (failing) {
                failing = false;
                log.info("canary readable again");
            }
        } catch (RedisException e) {
            if (!failing) {
                failing = true;
                log.atWarn().setMessage("canary unreadable, Redis down? {}").addArgument(e.getMessage()).log();
            }
        } catch (RuntimeException e) {
            log.warn("canary check failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
