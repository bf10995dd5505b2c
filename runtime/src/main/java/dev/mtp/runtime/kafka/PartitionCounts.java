package dev.mtp.runtime.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The partition count of each consumed topic, which the contract's partitioner needs to tell where a key belongs
 * ({@code ContractPartitioner}). Looked up from the topic's metadata and kept, refreshed whenever partitions are
 * assigned (a topic whose partitions were added gets a rebalance first). Thread-safe: the loop refreshes it, a
 * decoding thread may read it.
 */
public final class PartitionCounts {
    private static final Logger log = LoggerFactory.getLogger(PartitionCounts.class);

    private final Function<Collection<String>, Map<String, Integer>> lookup;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /**
     * @param lookup the partition count of each topic asked for, from its metadata, in one request; a topic it does not
     *               know is left out; may throw when Kafka does not answer
     */
    public PartitionCounts(Function<Collection<String>, Map<String, Integer>> lookup) {
        this.lookup = lookup;
    }

    /**
     * Looks the topics up again. A topic the lookup did not answer for keeps the count it had, with a warning; one
     * that has none yet fails the refresh, since its records could not be checked.
     */
    public void refresh(Collection<String> topics) {
        Map<String, Integer> found;
        String failure = "not in the topic metadata";
        try {
            found = lookup.apply(topics);
        } catch (RuntimeException e) {
            found = Map.of();
            failure = e.getMessage();
        }
        for (String topic : topics) {
            Integer count = found.get(topic);
            if (count == null) {
                if (!counts.containsKey(topic)) {
                    throw new IllegalStateException("no partition count for topic " + topic + ": " + failure);
                }
                log.warn("partition count of {} not refreshed, keeping {}: {}", topic, counts.get(topic), failure);
                continue;
            }
            if (count < 1) {
                throw new IllegalStateException("topic " + topic + " has no partitions in its metadata");
            }
            Integer before = counts.put(topic, count);
            if (before != null && before != count) {
                log.warn("partition count of {} changed from {} to {}: the persistence topics must keep theirs for life"
                        + " (docs/decisions/0001)", topic, before, count);
            }
        }
    }

    /** Counts looked up with an admin client, for apps whose consumer is not theirs to ask (Kafka Streams). */
    public static PartitionCounts fromAdmin(Admin admin, Duration timeout) {
        return new PartitionCounts(topics -> {
            try {
                Map<String, Integer> found = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .forEach((topic, description) -> found.put(topic, description.partitions().size()));
                return found;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing " + topics, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("describing " + topics + " failed: " + e, e);
            }
        });
    }

    /** The topic's partition count, as last looked up. */
    public int of(String topic) {
        Integer count = counts.get(topic);
        if (count == null) {
            throw new IllegalStateException("no partition count for topic " + topic + ": none of its partitions was assigned");
        }
        return count;
    }
}
