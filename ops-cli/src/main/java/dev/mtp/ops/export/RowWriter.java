package dev.mtp.ops.export;

import java.io.IOException;

/** Writes rows to an append-only file; {@link #sync()} makes what was written durable and says how long it is. */
public interface RowWriter extends AutoCloseable {

    void write(EvaluationRow row) throws IOException;

    /** Flushes and forces the file to disk; returns its length in bytes, where a resumed run continues. */
    long sync() throws IOException;

    @Override
    void close() throws IOException;
}
