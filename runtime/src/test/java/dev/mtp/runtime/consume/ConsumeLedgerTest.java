package dev.mtp.runtime.consume;

import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import static dev.mtp.runtime.consume.ConsumeLedger.Step.FLUSH;
import static dev.mtp.runtime.consume.ConsumeLedger.Step.POLL;
import static dev.mtp.runtime.consume.ConsumeLedger.Step.REWIND;
import static dev.mtp.runtime.consume.ConsumeLedger.Step.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

class ConsumeLedgerTest {
    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);
    private static final Set<TopicPartition> BOTH = Set.of(A, B);

    @Test
    void inlineWritesEachPollAsSoonAsItIsInHand() {
        ConsumeLedger ledger = new ConsumeLedger(0);
        assertThat(ledger.next(true, 0)).isEqualTo(POLL);
        ledger.read(poll(Map.of(A, range(0, 3))));
        assertThat(ledger.next(false, 0)).isEqualTo(WRITE);
    }

    @Test
    void decodingAheadKeepsOnePollInHandUntilInputStops() {
        ConsumeLedger ledger = new ConsumeLedger(1);
        ledger.read(poll(Map.of(A, range(0, 3))));
        assertThat(ledger.next(false, 0)).isEqualTo(POLL);
        ledger.read(poll(Map.of(A, range(3, 5))));
        assertThat(ledger.next(false, 0)).isEqualTo(WRITE);
        ledger.take();
        ledger.release();
        assertThat(ledger.next(true, 0)).as("an empty poll: input stopped").isEqualTo(WRITE);
    }

    @Test
    void heldBackWorkIsFlushedWhenInputStopsAndNothingIsInHand() {
        ConsumeLedger ledger = new ConsumeLedger(0);
        assertThat(ledger.next(true, 4)).isEqualTo(FLUSH);
        ledger.read(poll(Map.of(A, range(0, 1))));
        assertThat(ledger.next(false, 4)).isEqualTo(WRITE);
    }

    @Test
    void aRewindAskedForInsideAPollComesBeforeAnyWrite() {
        ConsumeLedger ledger = new ConsumeLedger(0);
        ledger.read(poll(Map.of(A, range(0, 1))));
        ledger.rewindAfterPoll();
        assertThat(ledger.next(false, 0)).isEqualTo(REWIND);
        ledger.rewind(BOTH);
        assertThat(ledger.rewindDue()).isFalse();
        assertThat(ledger.hasPollsInHand()).isFalse();
    }

    @Test
    void aWrittenPollCommitsTheOffsetAfterItsLastRecordPerPartitionOnce() {
        ConsumeLedger ledger = new ConsumeLedger(0);
        ledger.read(poll(Map.of(A, range(0, 3), B, range(7, 9))));
        ConsumeLedger.Poll taken = ledger.take();
        ledger.written(taken, BOTH);
        ledger.release();

        assertThat(ledger.commit(BOTH)).containsExactlyInAnyOrderEntriesOf(Map.of(
                A, new OffsetAndMetadata(3), B, new OffsetAndMetadata(9)));
        assertThat(ledger.commit(BOTH)).isEmpty();
    }

    @Test
    void offsetsHeldForAWriterWindowAccumulateOverPollsAndCommitTheLatest() {
        ConsumeLedger ledger = new ConsumeLedger(0);
        writeNext(ledger, Map.of(A, range(0, 3)));
        writeNext(ledger, Map.of(A, range(3, 6), B, range(0, 2)));

        assertThat(ledger.commit(BOTH)).containsExactlyInAnyOrderEntriesOf(Map.of(
                A, new OffsetAndMetadata(6), B, new OffsetAndMetadata(2)));
    }

    @Test
    void aRewindSeeksEveryPartitionReadSinceTheLastCommitToItsFirstUncommittedRecordPollsInHandIncluded() {
        ConsumeLedger ledger = new ConsumeLedger(1);
        writeNext(ledger, Map.of(A, range(0, 3)));
        ledger.commit(BOTH);
        writeNext(ledger, Map.of(A, range(3, 6)));
        ledger.read(poll(Map.of(A, range(6, 8))));
        ledger.read(poll(Map.of(B, range(10, 12))));

        assertThat(ledger.rewind(BOTH)).containsExactlyInAnyOrderEntriesOf(Map.of(A, 3L, B, 10L));
        assertThat(ledger.commit(BOTH)).as("nothing read before the rewind is committed").isEmpty();
        assertThat(ledger.rewind(BOTH)).isEmpty();
    }

    @Test
    void partitionsNoLongerOwnedAreNeitherCommittedNorSought() {
        ConsumeLedger ledger = new ConsumeLedger(0);
        writeNext(ledger, Map.of(A, range(0, 3), B, range(0, 3)));
        assertThat(ledger.commit(Set.of(A))).containsOnlyKeys(A);

        writeNext(ledger, Map.of(A, range(3, 4), B, range(3, 4)));
        assertThat(ledger.rewind(Set.of(B))).containsExactlyEntriesOf(Map.of(B, 3L));
    }

    @Test
    void aPartitionLetGoIsDroppedFromThePollBeingWrittenAndThePollsInHand() {
        ConsumeLedger ledger = new ConsumeLedger(1);
        ledger.read(poll(Map.of(A, range(0, 2), B, range(0, 2))));
        ledger.read(poll(Map.of(A, range(2, 4), B, range(2, 4))));
        ConsumeLedger.Poll taken = ledger.take();

        ledger.letGo(List.of(B));

        assertThat(taken.owns(record(B, 0))).isFalse();
        assertThat(taken.owns(record(A, 0))).isTrue();
        assertThat(taken.withoutDropped(List.of(event(A, 0), event(B, 1)))).containsExactly(event(A, 0));
        ledger.written(taken, BOTH); // assigned again meanwhile: still not committed, its events were not written
        ledger.release();
        assertThat(ledger.commit(BOTH)).containsOnlyKeys(A);

        ConsumeLedger.Poll next = ledger.take();
        assertThat(next.owns(record(B, 2))).isFalse();
        ledger.written(next, BOTH);
        assertThat(ledger.rewind(BOTH)).as("a partition dropped from a poll starts no window").containsOnlyKeys(A);
    }

    @Test
    void forgettingAPartitionDropsItsUncommittedOffsetAndItsRewindPoint() {
        ConsumeLedger ledger = new ConsumeLedger(0);
        writeNext(ledger, Map.of(A, range(0, 2), B, range(0, 2)));
        ledger.forget(List.of(B));

        assertThat(ledger.commit(BOTH)).containsOnlyKeys(A);
        writeNext(ledger, Map.of(A, range(2, 3), B, range(2, 3)));
        ledger.forget(List.of(A));
        assertThat(ledger.rewind(BOTH)).containsOnlyKeys(B);
    }

    private static void writeNext(ConsumeLedger ledger, Map<TopicPartition, List<Long>> offsets) {
        ledger.read(poll(offsets));
        ConsumeLedger.Poll taken = ledger.take();
        ledger.written(taken, BOTH);
        ledger.release();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    private static ConsumeLedger.Poll poll(Map<TopicPartition, List<Long>> offsets) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records = new HashMap<>();
        offsets.forEach((partition, list) -> {
            List<ConsumerRecord<String, byte[]>> recordList = new ArrayList<>();
            list.forEach(offset -> recordList.add(record(partition, offset)));
            records.put(partition, recordList);
        });
        return new ConsumeLedger.Poll(new ConsumerRecords<>(records, Map.of()), () -> null, 0);
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "k", new byte[0]);
    }

    private static SourcedEvent event(TopicPartition partition, long offset) {
        return new SourcedEvent(null, TopicRole.SESSIONS, partition.topic(), partition.partition(), offset,
                Incarnation.UNKNOWN);
    }
}
