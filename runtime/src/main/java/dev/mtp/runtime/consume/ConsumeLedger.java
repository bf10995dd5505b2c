package dev.mtp.runtime.consume;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The consume loop's bookkeeping, without I/O: the polls in hand and the partitions dropped from them, the offsets
 * that wait for the writer's held-back work before they are committed, and where each partition is read again from
 * when the loop rewinds. The loop tells it what the consumer owns and applies what it returns (a commit, seeks).
 */
final class ConsumeLedger {

    /** What the loop does after a poll. */
    enum Step {
        /** Held-back work was refused as it was: read everything again from the last commit. */
        REWIND,
        /** Write the oldest poll in hand. */
        WRITE,
        /** Input stopped with held-back work: flush it without waiting for its window. */
        FLUSH,
        /** Poll again. */
        POLL
    }

    /** One poll in hand, and the partitions revoked or lost since: their records are neither written nor committed. */
    static final class Poll {
        final ConsumerRecords<String, byte[]> records;
        /** Its decoding: done on the loop's thread when called, or under way on the decoding thread. */
        final Callable<PollDecoder.Decoded> decoded;
        final long polledAtNanos;
        private final Set<TopicPartition> dropped = new HashSet<>();

        Poll(ConsumerRecords<String, byte[]> records, Callable<PollDecoder.Decoded> decoded, long polledAtNanos) {
            this.records = records;
            this.decoded = decoded;
            this.polledAtNanos = polledAtNanos;
        }

        boolean owns(ConsumerRecord<String, byte[]> record) {
            return dropped.isEmpty() || !dropped.contains(new TopicPartition(record.topic(), record.partition()));
        }

        List<SourcedEvent> withoutDropped(List<SourcedEvent> events) {
            if (dropped.isEmpty()) {
                return events;
            }
            return events.stream().filter(e -> !dropped.contains(new TopicPartition(e.topic(), e.partition()))).toList();
        }
    }

    /** Polls kept in hand beyond the one being written: 1 when decoding ahead, else 0. */
    private final int pollsAhead;
    /** Polls read and not taken yet, oldest first. */
    private final Deque<Poll> inHand = new ArrayDeque<>();
    /** The poll being written. */
    private Poll taken;
    /** Next offset to commit per partition, for every poll written since the last commit. */
    private final Map<TopicPartition, Long> uncommitted = new HashMap<>();
    /** First offset not committed per partition: where a rewind restarts. */
    private final Map<TopicPartition, Long> windowStart = new HashMap<>();
    private boolean rewindDue;

    ConsumeLedger(int pollsAhead) {
        this.pollsAhead = pollsAhead;
    }

    /** Keeps a poll in hand; an empty one is not kept. */
    void read(Poll poll) {
        if (!poll.records.isEmpty()) {
            inHand.addLast(poll);
        }
    }

    boolean hasPollsInHand() {
        return !inHand.isEmpty();
    }

    /**
     * What to do after a poll: write once the polls kept ahead are in hand, or as soon as input stops; flush held-back
     * work when input stopped and nothing is in hand.
     */
    Step next(boolean pollWasEmpty, int pending) {
        if (rewindDue) {
            return Step.REWIND; // what the polls in hand hold is read again too
        }
        if (inHand.size() > pollsAhead || (!inHand.isEmpty() && pollWasEmpty)) {
            return Step.WRITE;
        }
        return inHand.isEmpty() && pending > 0 ? Step.FLUSH : Step.POLL;
    }

    /** Takes the oldest poll in hand to write it: from here on a rewind reads its partitions again from its first record. */
    Poll take() {
        taken = inHand.removeFirst();
        startWindow(taken);
        return taken;
    }

    /** The poll taken is done with, written or not. */
    void release() {
        taken = null;
    }

    /** The poll was written: the next commit includes its partitions still owned and not dropped. */
    void written(Poll poll, Set<TopicPartition> owned) {
        for (TopicPartition partition : poll.records.partitions()) {
            // A partition revoked while the batch waited and assigned again is owned, but its events were not
            // written: its next poll starts again from the last commit.
            if (owned.contains(partition) && !poll.dropped.contains(partition)) {
                List<ConsumerRecord<String, byte[]>> list = poll.records.records(partition);
                uncommitted.put(partition, list.get(list.size() - 1).offset() + 1);
            }
        }
    }

    /** The offsets to commit now: every one written since the last commit, of the partitions still owned. */
    Map<TopicPartition, OffsetAndMetadata> commit(Set<TopicPartition> owned) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        uncommitted.forEach((partition, next) -> {
            if (owned.contains(partition)) {
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        });
        uncommitted.clear();
        windowStart.clear();
        return offsets;
    }

    /** Asks for a rewind after the next poll (the refusal came inside a poll, where the loop cannot seek yet). */
    void rewindAfterPoll() {
        rewindDue = true;
    }

    boolean rewindDue() {
        return rewindDue;
    }

    /**
     * Every partition read since the last commit is read again from there, the polls in hand included, and nothing
     * read since is committed. Returns where to seek the partitions still owned.
     */
    Map<TopicPartition, Long> rewind(Set<TopicPartition> owned) {
        rewindDue = false;
        inHand.forEach(this::startWindow);
        inHand.clear();
        Map<TopicPartition, Long> seeks = new HashMap<>();
        windowStart.forEach((partition, offset) -> {
            if (owned.contains(partition)) {
                seeks.put(partition, offset);
            }
        });
        windowStart.clear();
        uncommitted.clear();
        return seeks;
    }

    /** Partitions revoked or lost: what remains of their work here is dropped, their next owner reads it again. */
    void letGo(Collection<TopicPartition> partitions) {
        if (taken != null) {
            taken.dropped.addAll(partitions);
        }
        inHand.forEach(poll -> poll.dropped.addAll(partitions));
        forget(partitions);
    }

    /** Forgets the uncommitted offsets of partitions this member gave up. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> {
            uncommitted.remove(p);
            windowStart.remove(p);
        });
    }

    private void startWindow(Poll poll) {
        for (TopicPartition partition : poll.records.partitions()) {
            if (!poll.dropped.contains(partition)) {
                windowStart.putIfAbsent(partition, poll.records.records(partition).get(0).offset());
            }
        }
    }
}
