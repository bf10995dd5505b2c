package dev.mtp.ops.dlq;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What {@code dlq redrive} leaves on the dead-letter topic for each letter it redrove: a record without a value that
 * carries the letter's own {@code mtp.dlq.*} headers (so {@code dlq list} counts it in the letter's group) and says
 * which letter it redrove, what the sink's guarded write did with it, and when. A later redrive reads these first and
 * leaves those letters alone: redriving twice changes nothing the second time.
 */
public final class Redrives {
    private Redrives() {}

    /** The coordinates ({@code partition:offset}) of the letter redriven. */
    public static final String REDRIVE_OF = "mtp.dlq.redrive.of";
    /** What the sink did: applied, duplicate or stale. */
    public static final String OUTCOME = "mtp.dlq.redrive.outcome";
    public static final String AT = "mtp.dlq.redrive.at";

    public static ProducerRecord<byte[], byte[]> record(String topic, ConsumerRecord<byte[], byte[]> letter,
                                                        String outcome, Instant at) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : letter.headers()) {
            if (h.key().startsWith("mtp.dlq.")) {
                headers.add(h);
            }
        }
        headers.add(REDRIVE_OF, (letter.partition() + ":" + letter.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add(OUTCOME, outcome.getBytes(StandardCharsets.UTF_8));
        headers.add(AT, at.toString().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, letter.key(), null, headers);
    }
}
