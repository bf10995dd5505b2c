package dev.mtp.cachewriter.plan;

import dev.mtp.cachestore.CacheWrite;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.runtime.consume.SourcedEvent;

import java.util.List;
import java.util.Map;

/**
 * What one batch does: the cache writes (one per key, in order), the events behind each write (to dead-letter them
 * if Redis refuses the write), the session states the batch changed (with their partitions), and how each event
 * was decided.
 *
 * @param writes       cache writes, at most one per key, in the order they must be applied
 * @param sources      for each write, the events it carries
 * @param changed      session id → its new state, for every session whose state the batch changed
 * @param partitionOf  session id → its partition, for every session of the batch
 * @param decisions    per topic, how many events applied, were duplicates, or were stale
 */
public record BatchPlan(List<CacheWrite> writes, List<List<SourcedEvent>> sources, Map<String, SessionState> changed,
                        Map<String, Integer> partitionOf, Map<TopicRole, Map<Decision, Integer>> decisions) {

    public BatchPlan {
        if (writes.size() != sources.size()) {
            throw new IllegalArgumentException("one source list per write");
        }
    }

    public int decided(TopicRole topic, Decision decision) {
        return decisions.getOrDefault(topic, Map.of()).getOrDefault(decision, 0);
    }
}
