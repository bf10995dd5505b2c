package dev.mtp.ops.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtp.common.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A checkpoint on disk, as JSON. Saved atomically (written beside, forced to disk, then renamed over the old one),
 * so a crash at any moment leaves either the previous checkpoint or the new one, never half of one.
 */
public final class CheckpointFile {

    private static final ObjectMapper JSON = Json.mapper();

    private final Path path;

    public CheckpointFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    /** {@code <output>.checkpoint}, beside the output it belongs to. */
    public static CheckpointFile beside(Path output) {
        return new CheckpointFile(output.resolveSibling(output.getFileName() + ".checkpoint"));
    }

    public Path path() {
        return path;
    }

    public Optional<Checkpoint> load() {
        return load(Checkpoint.class);
    }

    /** A checkpoint of a command's own shape (an import keeps positions in its sources as well as offsets). */
    public <T> Optional<T> load(Class<T> type) {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(path.toFile(), type));
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint " + path + " cannot be read (" + e.getMessage().lines()
                    .findFirst().orElse("") + "): remove it, or start again with --restart", e);
        }
    }

    public void save(Object checkpoint) {
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(checkpoint));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + path + ": " + e.getMessage(), e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove checkpoint " + path + ": " + e.getMessage(), e);
        }
    }
}
