package dev.mtp.ops.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mtp.common.json.Json;

import java.io.IOException;
import java.nio.file.Path;

/** One JSON object per line, streamed: {@code evaluationData} as an object, times as ISO-8601 UTC. */
final class JsonlWriter implements RowWriter {

    private final AppendFile file;
    private final JsonGenerator json;

    JsonlWriter(Path path, long length) throws IOException {
        this.file = AppendFile.open(path, length);
        this.json = Json.mapper().getFactory().createGenerator(file.stream(), JsonEncoding.UTF8);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        json.setRootValueSeparator(null); // each row ends with its own line break, so a resumed file stays JSONL
    }

    @Override
    public void write(EvaluationRow row) throws IOException {
        json.writeStartObject();
        json.writeStringField("eventId", row.eventId());
        json.writeStringField("sessionId", row.sessionId());
        json.writeStringField("entityType", row.entityType());
        json.writeStringField("entityId", row.entityId());
        json.writeStringField("occurredAt", row.occurredAt().toString());
        json.writeStringField("producer", row.producer());
        json.writeFieldName("evaluationData");
        Json.mapper().writeValue(json, row.evaluationData());
        json.writeNumberField("kafkaPartition", row.kafkaPartition());
        json.writeNumberField("kafkaOffset", row.kafkaOffset());
        json.writeNumberField("kafkaTimestamp", row.kafkaTimestamp());
        json.writeEndObject();
        json.writeRaw('\n');
    }

    @Override
    public long sync() throws IOException {
        json.flush();
        return file.sync();
    }

    @Override
    public void close() throws IOException {
        json.close();
        file.close();
    }
}
