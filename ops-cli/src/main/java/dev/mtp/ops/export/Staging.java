package dev.mtp.ops.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Where an export writes its rows and how it finishes: JSONL and CSV straight into the output; Parquet into a staged
 * JSONL file beside it ({@code <output>.staging.jsonl}), converted when every row is in. Either way the file written
 * to is append-only, so a checkpoint is its length and the partitions' next offsets.
 */
public record Staging(ExportFormat format, Path output) {

    /** The file rows are appended to. */
    public Path rows() {
        return format == ExportFormat.PARQUET ? output.resolveSibling(output.getFileName() + ".staging.jsonl")
                : output;
    }

    public RowWriter open(long length) throws IOException {
        return format == ExportFormat.CSV ? new CsvWriter(rows(), length) : new JsonlWriter(rows(), length);
    }

    /** Makes the output from the rows once all are written (Parquet: convert, then drop the staged file). */
    public void finish() throws IOException, SQLException {
        if (format == ExportFormat.PARQUET) {
            ParquetConversion.convert(rows(), output);
            Files.deleteIfExists(rows());
        }
    }

    /** Removes what an earlier run wrote (for --restart). */
    public void discard() throws IOException {
        Files.deleteIfExists(rows());
        Files.deleteIfExists(output);
    }
}
