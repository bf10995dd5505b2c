package dev.mtp.ops.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtp.common.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A JSON Lines file: one JSON object per line, blank lines skipped. The position is the number of lines read.
 * Duplicate keys in an object are refused, as the ingest refuses them.
 */
public final class JsonlSource implements ImportSource {

    private static final ObjectMapper STRICT = Json.mapper().copy()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final Path file;
    private final BufferedReader reader;
    private final long lines;
    private long line;

    public JsonlSource(Path file, String position) throws IOException {
        this.file = file;
        try (var all = Files.lines(file, StandardCharsets.UTF_8)) {
            this.lines = all.count();
        }
        this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        long skip = position == null ? 0 : Long.parseLong(position);
        while (line < skip && reader.readLine() != null) {
            line++;
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public long size() {
        return lines;
    }

    @Override
    public SourceRecord next() throws IOException {
        String text;
        do {
            text = reader.readLine();
            if (text == null) {
                return null;
            }
            line++;
        } while (text.isBlank());
        String where = file.getFileName() + ":" + line;
        try {
            Map<String, Object> fields = STRICT.readValue(text, OBJECT);
            if (fields == null) {
                return SourceRecord.unreadable(where, text, "not a JSON object");
            }
            return SourceRecord.read(where, fields, text);
        } catch (JsonProcessingException e) {
            return SourceRecord.unreadable(where, text, "not a JSON object: " + e.getOriginalMessage());
        }
    }

    @Override
    public String position() {
        return Long.toString(line);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
