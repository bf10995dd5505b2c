package dev.mtp.ops.imports;

import java.util.Map;

/**
 * One record of the old system.
 *
 * @param where      where it was read, for the reject file: {@code sessions.jsonl:12}, {@code olddb.sessions/<_id>}
 * @param fields     its fields as plain values; null when it could not be read
 * @param raw        its text as read (a JSONL line, a MongoDB document as extended JSON)
 * @param unreadable why it could not be read, when it could not
 */
public record SourceRecord(String where, Map<String, Object> fields, String raw, String unreadable) {

    public static SourceRecord read(String where, Map<String, Object> fields, String raw) {
        return new SourceRecord(where, fields, raw, null);
    }

    public static SourceRecord unreadable(String where, String raw, String why) {
        return new SourceRecord(where, null, raw, why);
    }
}
