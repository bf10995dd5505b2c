package dev.mtp.runtime.kafka;

import dev.mtp.common.config.Masking;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Makes the topics an app needs usable before it produces or consumes:
 * <ol>
 *   <li>creates the missing ones (idempotent: another instance creating the same topic at once is fine);</li>
 *   <li>refuses existing topics whose partition count differs (records are keyed by session id, and the persistence
 *       topics must be co-partitioned);</li>
 *   <li>waits until every partition of every topic answers {@code Admin.listOffsets(OffsetSpec.latest())}. This works
 *       around KAFKA-15591 (fixed in Kafka 4.5): right after a topic is created, the first idempotent produce can fail
 *       with an out-of-order sequence and its batch is lost.</li>
 * </ol>
 * Every step is bounded by one overall timeout; the failure says what was still missing.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration MAX_CALL = Duration.ofSeconds(5);
    private static final int SHOWN_PARTITIONS = 5;

    private final TopicAdmin admin;

    public TopicProvisioner(Admin admin) {
        this(new AdminTopicAdmin(admin));
    }

    TopicProvisioner(TopicAdmin admin) {
        this.admin = admin;
    }

    /**
     * Ensures the topics exist with their partition counts and answer on every partition.
     *
     * @param create  create missing topics ({@code app.topics.create}); when false, a missing topic is an error
     * @param timeout the whole of it, waiting included ({@code app.lifecycle.startup-timeout-ms})
     * @throws TopicProvisioningException with a one-line reason
     */
    public void ensure(List<TopicSpec> topics, boolean create, Duration timeout) throws InterruptedException {
        Set<String> names = new LinkedHashSet<>();
        for (TopicSpec t : topics) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("topic " + t.name() + " is listed twice");
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> existing = call("describing topics " + String.join(", ", names), timeout, deadline,
                () -> admin.partitionCounts(names, slice(deadline)));
        TopicPlan plan = TopicPlan.of(topics, existing);
        if (!plan.mismatches().isEmpty()) {
            throw new TopicProvisioningException(TopicPlan.mismatchReason(plan.mismatches()));
        }
        if (!plan.toCreate().isEmpty()) {
            String missing = plan.toCreate().stream().map(TopicSpec::name).collect(Collectors.joining(", "));
            if (!create) {
                throw new TopicProvisioningException("topics missing: " + missing
                        + "; create them or set app.topics.create=true");
            }
            createMissing(plan.toCreate(), timeout, deadline);
        }
        awaitEveryPartition(topics, timeout, deadline);
    }

    private void createMissing(List<TopicSpec> toCreate, Duration timeout, long deadline) throws InterruptedException {
        Map<String, Throwable> failures = call("creating topics", timeout, deadline,
                () -> admin.create(toCreate, slice(deadline)));
        List<String> errors = new ArrayList<>();
        List<TopicSpec> raced = new ArrayList<>();
        for (TopicSpec spec : toCreate) {
            Throwable f = failures.get(spec.name());
            if (f == null) {
                log.atInfo().setMessage("created topic {} ({} partitions, replication factor {}, configs {})")
                        .addArgument(spec.name()).addArgument(spec.partitions()).addArgument(spec.replicationFactor())
                        .addArgument(spec.configs())
                        .addKeyValue("topic", spec.name()).log();
            } else if (f instanceof TopicExistsException) {
                raced.add(spec); // created meanwhile by another instance: check it like any existing topic
            } else {
                errors.add("cannot create topic " + spec.name() + ": " + describe(f));
            }
        }
        if (!errors.isEmpty()) {
            throw new TopicProvisioningException(String.join("; ", errors));
        }
        if (!raced.isEmpty()) {
            Map<String, Integer> counts = call("describing topics", timeout, deadline,
                    () -> admin.partitionCounts(raced.stream().map(TopicSpec::name).toList(), slice(deadline)));
            List<String> mismatches = new ArrayList<>();
            for (TopicSpec spec : raced) {
                Integer actual = counts.get(spec.name());
                if (actual != null && actual != spec.partitions()) {
                    mismatches.add(TopicPlan.mismatch(spec, actual));
                }
            }
            if (!mismatches.isEmpty()) {
                throw new TopicProvisioningException(TopicPlan.mismatchReason(mismatches));
            }
        }
    }

    private void awaitEveryPartition(List<TopicSpec> topics, Duration timeout, long deadline)
            throws InterruptedException {
        Set<TopicPartition> pending = new HashSet<>();
        for (TopicSpec t : topics) {
            for (int p = 0; p < t.partitions(); p++) {
                pending.add(new TopicPartition(t.name(), p));
            }
        }
        int total = pending.size();
        Map<TopicPartition, Throwable> last = new HashMap<>();
        long backoffMs = 50;
        long start = System.nanoTime();
        while (true) {
            Map<TopicPartition, Throwable> failures;
            try {
                failures = admin.latestOffsets(List.copyOf(pending), slice(deadline));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                failures = new HashMap<>();
                for (TopicPartition tp : pending) {
                    failures.put(tp, cause);
                }
            }
            pending.retainAll(failures.keySet());
            last = failures;
            if (pending.isEmpty()) {
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                log.atInfo().setMessage("all {} partitions of {} topic(s) answer listOffsets ({} ms)").addArgument(total)
                        .addArgument(topics.size()).addArgument(took).addKeyValue("durationMs", took).log();
                return;
            }
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMs <= 0) {
                throw new TopicProvisioningException(notReady(pending, last, total, timeout));
            }
            Thread.sleep(Math.min(backoffMs, remainingMs));
            backoffMs = Math.min(backoffMs * 2, 1_000);
        }
    }

    /** "topics not ready within 30000 ms: 2 of 12 partitions did not answer listOffsets: t-0 (cause), t-3 (cause)". */
    static String notReady(Set<TopicPartition> pending, Map<TopicPartition, Throwable> failures, int total,
                           Duration timeout) {
        List<TopicPartition> sorted = pending.stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .toList();
        String shown = sorted.stream().limit(SHOWN_PARTITIONS)
                .map(tp -> tp + " (" + describe(failures.get(tp)) + ")")
                .collect(Collectors.joining(", "));
        String more = sorted.size() > SHOWN_PARTITIONS ? " and " + (sorted.size() - SHOWN_PARTITIONS) + " more" : "";
        return "topics not ready within " + timeout.toMillis() + " ms: " + pending.size() + " of " + total
                + " partitions did not answer listOffsets: " + shown + more;
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T call(String what, Duration timeout, long deadline, Call<T> call) throws InterruptedException {
        if (deadline - System.nanoTime() <= 0) {
            throw new TopicProvisioningException("Kafka topics not ready within " + timeout.toMillis() + " ms (" + what + ")");
        }
        try {
            return call.call();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                String detail = cause.getMessage() == null ? "" : ": " + cause.getMessage();
                throw new TopicProvisioningException("Kafka did not answer within " + timeout.toMillis() + " ms ("
                        + what + ")" + detail, cause);
            }
            throw new TopicProvisioningException("Kafka did not answer " + what + ": " + describe(cause), cause);
        }
    }

    /** One Admin call gets at most 5 s, and never more than what is left. */
    private static Duration slice(long deadline) {
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        return Duration.ofMillis(Math.min(left, MAX_CALL.toMillis()));
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "no answer";
        }
        String m = t.getMessage();
        return Masking.maskUris(t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m));
    }
}
