package dev.mtp.ops.export;

import dev.mtp.common.json.Json;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * RFC 4180 CSV in UTF-8: a header line, then a line per row; a field with a comma, quote or line break is quoted and
 * its quotes doubled. {@code evaluationData} is a JSON string, times ISO-8601 UTC, {@code kafkaTimestamp} epoch ms.
 */
final class CsvWriter implements RowWriter {

    private final AppendFile file;
    private final Writer out;

    CsvWriter(Path path, long length) throws IOException {
        this.file = AppendFile.open(path, length);
        this.out = new OutputStreamWriter(file.stream(), StandardCharsets.UTF_8);
        if (length == 0) {
            out.write(String.join(",", EvaluationRow.COLUMNS));
            out.write("\r\n");
        }
    }

    @Override
    public void write(EvaluationRow row) throws IOException {
        field(row.eventId()).sep();
        field(row.sessionId()).sep();
        field(row.entityType()).sep();
        field(row.entityId()).sep();
        field(row.occurredAt().toString()).sep();
        field(row.producer()).sep();
        field(Json.mapper().writeValueAsString(row.evaluationData())).sep();
        out.write(Integer.toString(row.kafkaPartition()));
        out.write(',');
        out.write(Long.toString(row.kafkaOffset()));
        out.write(',');
        out.write(Long.toString(row.kafkaTimestamp()));
        out.write("\r\n");
    }

    private CsvWriter field(String value) throws IOException {
        out.write(quote(value));
        return this;
    }

    private void sep() throws IOException {
        out.write(',');
    }

    static String quote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    @Override
    public long sync() throws IOException {
        out.flush();
        return file.sync();
    }

    @Override
    public void close() throws IOException {
        out.flush();
        file.close();
    }
}
