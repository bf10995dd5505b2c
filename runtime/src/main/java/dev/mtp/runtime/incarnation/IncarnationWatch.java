package dev.mtp.runtime.incarnation;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.incarnation.IncarnationCheck;
import dev.mtp.common.incarnation.IncarnationCheck.Register;
import dev.mtp.common.incarnation.IncarnationCheck.Stop;
import dev.mtp.common.incarnation.IncarnationCheck.Verdict;
import dev.mtp.common.incarnation.IncarnationRegistry;
import dev.mtp.common.incarnation.Registration;
import dev.mtp.common.version.Incarnation;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.startup.StartupException;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.ProvisionedTopics;
import dev.mtp.runtime.kafka.TopicIncarnations;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Registers the incarnations an app consumes in the stores it writes, and checks them every
 * {@code app.incarnation.check-interval-ms} (docs/decisions/0012): an app stops when a topic it consumes was recreated
 * under it, or when another cluster or incarnation took its stores over. Reading the cluster or a store may fail for
 * a while (the writers ride such outages out); the check then waits for its next round.
 */
public final class IncarnationWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IncarnationWatch.class);

    private final AppContext ctx;
    private final Admin admin;
    private final List<String> topics;
    private final List<IncarnationRegistry> registries;
    private final TopicIncarnations own;
    private final String clusterId;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("incarnation-watch").factory());

    private IncarnationWatch(AppContext ctx, Admin admin, List<String> topics, List<IncarnationRegistry> registries,
                             TopicIncarnations own, String clusterId, Clock clock) {
        this.ctx = ctx;
        this.admin = admin;
        this.topics = List.copyOf(topics);
        this.registries = List.copyOf(registries);
        this.own = own;
        this.clusterId = clusterId;
        this.clock = clock;
    }

    /**
     * Registers the app's incarnations of {@code topics} in each store now (before the app consumes), and checks them
     * periodically once the app has started.
     */
    public static IncarnationWatch start(AppContext ctx, ProvisionedTopics provisioned, List<String> topics,
                                         List<IncarnationRegistry> registries) throws Exception {
        Admin admin = ctx.open("incarnation-admin", Admin.create(KafkaClients.admin(ctx.config())));
        String clusterId = admin.describeCluster().clusterId().get(ctx.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        IncarnationWatch watch = ctx.open("incarnation-watch", new IncarnationWatch(ctx, admin, topics, registries,
                provisioned.incarnations(), clusterId, Clock.systemUTC()));
        watch.registerAtStart();
        long intervalMs = ctx.get(CommonConfigKeys.INCARNATION_CHECK_INTERVAL_MS).toMillis();
        ctx.afterStart("incarnation-watch", () -> watch.scheduler.scheduleWithFixedDelay(watch::checkQuietly,
                intervalMs, intervalMs, TimeUnit.MILLISECONDS));
        return watch;
    }

    private void registerAtStart() throws Exception {
        for (IncarnationRegistry registry : registries) {
            for (String topic : topics) {
                Registration mine = registration(topic);
                Optional<Registration> registered;
                try {
                    registered = registry.read(topic);
                } catch (Exception e) {
                    throw new StartupException("cannot read the incarnation registry in " + registry.store() + ": "
                            + e.getMessage(), e);
                }
                if (IncarnationCheck.atStart(mine, registered) instanceof Register register) {
                    registry.register(topic, mine);
                    logRegistered(registry, topic, mine, register.replaced());
                }
            }
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.atWarn().setMessage("incarnation check failed, retried in the next round: {}").addArgument(e.toString()).log();
        }
    }

    /** One round: the topics' ids now, then each store's registry. */
    void check() throws InterruptedException {
        TopicIncarnations now;
        try {
            now = TopicIncarnations.resolve(admin, topics, ctx.get(CommonConfigKeys.OPS_HEALTH_TIMEOUT_MS));
        } catch (RuntimeException e) {
            log.atDebug().setMessage("cannot read the topics' ids this round: {}").addArgument(e.getMessage()).log();
            return;
        }
        for (IncarnationRegistry registry : registries) {
            for (String topic : topics) {
                Registration mine = registration(topic);
                Optional<Registration> registered;
                try {
                    registered = registry.read(topic);
                } catch (Exception e) {
                    log.atDebug().setMessage("cannot read the incarnation registry in {} this round: {}")
                            .addArgument(registry.store()).addArgument(e.getMessage()).log();
                    continue;
                }
                Verdict verdict = IncarnationCheck.whileRunning(topic, registry.store(), mine, now.of(topic), registered);
                if (verdict instanceof Stop stop) {
                    scheduler.shutdown();
                    ctx.fail(stop.reason(), null);
                    return;
                }
                if (verdict instanceof Register) {
                    try {
                        registry.register(topic, mine);
                        logRegistered(registry, topic, mine, Optional.empty());
                    } catch (Exception e) {
                        log.atDebug().setMessage("cannot write the incarnation registry in {} this round: {}")
                                .addArgument(registry.store()).addArgument(e.getMessage()).log();
                    }
                }
            }
        }
    }

    private Registration registration(String topic) {
        Incarnation incarnation = own.of(topic);
        return new Registration(incarnation, clusterId, clock.instant(), ctx.appName());
    }

    private static void logRegistered(IncarnationRegistry registry, String topic, Registration mine,
                                      Optional<Registration> replaced) {
        if (replaced.isPresent()) {
            log.atWarn().setMessage("{} switches {} from {} to {}: values written from the other incarnation are "
                            + "superseded as this one's events reach them (docs/decisions/0012)")
                    .addArgument(registry.store()).addArgument(topic).addArgument(replaced.get().describe())
                    .addArgument(mine.describe())
                    .addKeyValue("topic", topic).addKeyValue("store", registry.store())
                    .addKeyValue("incarnation", mine.incarnation().tag())
                    .addKeyValue("replacedIncarnation", replaced.get().incarnation().tag()).log();
        } else {
            log.atInfo().setMessage("{} registered as fed from {} {}").addArgument(registry.store())
                    .addArgument(topic).addArgument(mine.describe())
                    .addKeyValue("topic", topic).addKeyValue("store", registry.store())
                    .addKeyValue("incarnation", mine.incarnation().tag()).log();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
