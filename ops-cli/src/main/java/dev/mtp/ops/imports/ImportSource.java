package dev.mtp.ops.imports;

/**
 * The records of one kind in the old system, read in a stable order from a position a checkpoint kept, so a run
 * stopped part way resumes after the last record it handled.
 */
public interface ImportSource extends AutoCloseable {

    /** What is read, for messages: a file, or a database and collection. */
    String describe();

    /** How many records there are in all (for the progress bar), or -1 when that is not known cheaply. */
    long size();

    /** The next record after the position, or null at the end. */
    SourceRecord next() throws Exception;

    /** The position after the last record {@link #next()} returned, as a checkpoint keeps it. */
    String position();

    @Override
    void close() throws Exception;
}
