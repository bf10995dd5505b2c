package dev.mtp.ops.imports;

import dev.mtp.ops.kafka.RangeReader;
import dev.mtp.ops.run.Progress;
import dev.mtp.ops.run.StopSignal;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The event ids imports published on the event topics in a range of offsets, read from the header
 * {@value ImportPublisher#EVENT_ID_HEADER} (no event is decoded): what a run must not publish again.
 */
public final class PublishedImports {
    private PublishedImports() {}

    public static Set<UUID> find(Map<String, Object> clientProperties, Map<TopicPartition, Long> from,
                                 Map<TopicPartition, Long> to, StopSignal stop) throws Exception {
        Set<UUID> ids = new HashSet<>();
        long records = to.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue()
                - from.getOrDefault(e.getKey(), e.getValue()))).sum();
        Map<TopicPartition, Long> start = new java.util.HashMap<>(to);
        start.putAll(from);
        try (RangeReader reader = new RangeReader(clientProperties, 5_000);
             Progress progress = Progress.start("finding imported", records, "records")) {
            reader.read(start, to, stop, new RangeReader.Handler() {
                @Override
                public void record(ConsumerRecord<byte[], byte[]> r) {
                    Header id = r.headers().lastHeader(ImportPublisher.EVENT_ID_HEADER);
                    if (id != null) {
                        ids.add(UUID.fromString(new String(id.value(), StandardCharsets.UTF_8)));
                    }
                    progress.stepBy(1);
                }
            });
        }
        if (stop.stopRequested()) {
            throw new IllegalStateException("stopped while looking for what earlier imports published: nothing was "
                    + "published; run the import again");
        }
        return ids;
    }
}
