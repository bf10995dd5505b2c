package dev.mtp.ops.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An output file opened at a known length: created empty for a fresh export, or cut back to the length the checkpoint
 * recorded (dropping whatever a stopped run wrote after it) and appended to.
 */
final class AppendFile implements AutoCloseable {

    private static final int BUFFER = 256 * 1024;

    private final FileChannel channel;
    private final BufferedOutputStream out;

    private AppendFile(FileChannel channel) {
        this.channel = channel;
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
    }

    /** Opens {@code file} cut to {@code length} bytes (0: a new, empty file). */
    static AppendFile open(Path file, long length) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (channel.size() < length) {
            channel.close();
            throw new IOException(file + " has " + channel.size() + " bytes, fewer than the " + length
                    + " its checkpoint recorded: it was changed since; start again with --restart");
        }
        channel.truncate(length);
        channel.position(length);
        return new AppendFile(channel);
    }

    OutputStream stream() {
        return out;
    }

    long sync() throws IOException {
        out.flush();
        channel.force(false);
        return channel.position();
    }

    @Override
    public void close() throws IOException {
        out.flush();
        channel.close();
    }
}
