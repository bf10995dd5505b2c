package dev.mtp.ops.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtp.common.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The records an import refused, one JSON object a line: where it was read, why it was refused (the field and the
 * rule, as the ingest would answer) and the record as read. Append-only; a resumed run first cuts the file back to
 * the length its checkpoint recorded, so a record is never listed twice.
 */
public final class RejectFile implements AutoCloseable {

    private static final ObjectMapper JSON = Json.mapper();

    private final Path path;
    private final FileChannel channel;
    private final OutputStream out;

    private RejectFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
        this.out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
    }

    /** Opens {@code path} for appending after its first {@code keepBytes} bytes (0: a new file). */
    public static RejectFile open(Path path, long keepBytes) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(keepBytes);
        channel.position(keepBytes);
        return new RejectFile(path, channel);
    }

    public Path path() {
        return path;
    }

    public void reject(SourceRecord record, String reason) throws IOException {
        ObjectNode line = JSON.createObjectNode()
                .put("where", record.where())
                .put("reason", reason)
                .put("record", record.raw());
        out.write(JSON.writeValueAsBytes(line));
        out.write('\n');
    }

    /** Writes what is buffered through to the disk; returns the file's length. */
    public long sync() throws IOException {
        out.flush();
        channel.force(false);
        return channel.size();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
