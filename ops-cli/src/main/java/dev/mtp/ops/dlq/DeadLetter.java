package dev.mtp.ops.dlq;

import dev.mtp.runtime.consume.DeadLetterPublisher;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A dead letter as {@link DeadLetterPublisher} wrote it, read from its {@code mtp.dlq.*} headers. A header that is
 * missing (a record someone else put on the topic) reads as "?" or -1, never as an error: the tools show it as is.
 *
 * @param failedAt   when the writer gave up on it ({@code mtp.dlq.failed.at}), else the record's timestamp
 * @param redriveOf  on the record {@code dlq redrive} leaves after redriving a letter ({@link Redrives}): that letter's
 *                   coordinates; null on a dead letter
 */
public record DeadLetter(int partition, long offset, String app, String errorClass, String errorMessage,
                         String sourceTopic, int sourcePartition, long sourceOffset, Instant failedAt,
                         long valueDroppedBytes, String redriveOf) {

    public static final String UNKNOWN = "?";

    public static DeadLetter of(int partition, long offset, long timestamp, Headers headers) {
        Instant failedAt;
        try {
            String at = text(headers, DeadLetterPublisher.FAILED_AT);
            failedAt = at == null ? Instant.ofEpochMilli(timestamp) : Instant.parse(at);
        } catch (DateTimeParseException e) {
            failedAt = Instant.ofEpochMilli(timestamp);
        }
        return new DeadLetter(partition, offset, orUnknown(text(headers, DeadLetterPublisher.APP)),
                orUnknown(text(headers, DeadLetterPublisher.ERROR_CLASS)),
                orUnknown(text(headers, DeadLetterPublisher.ERROR_MESSAGE)),
                orUnknown(text(headers, DeadLetterPublisher.SOURCE_TOPIC)),
                (int) number(headers, DeadLetterPublisher.SOURCE_PARTITION),
                number(headers, DeadLetterPublisher.SOURCE_OFFSET), failedAt,
                number(headers, DeadLetterPublisher.VALUE_DROPPED), text(headers, Redrives.REDRIVE_OF));
    }

    /** The error class without its package: what went wrong, in one word. */
    public String reason() {
        return errorClass.substring(errorClass.lastIndexOf('.') + 1);
    }

    public String source() {
        return sourceTopic + "/" + sourcePartition + "@" + sourceOffset;
    }

    /** Where the letter itself is: {@code partition:offset}, what {@code dlq show} takes. */
    public String coordinates() {
        return partition + ":" + offset;
    }

    public boolean isRedrive() {
        return redriveOf != null;
    }

    public boolean valueDropped() {
        return valueDroppedBytes >= 0;
    }

    static String text(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long number(Headers headers, String key) {
        String v = text(headers, key);
        try {
            return v == null ? -1 : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String orUnknown(String v) {
        return v == null || v.isBlank() ? UNKNOWN : v;
    }
}
