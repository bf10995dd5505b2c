package dev.mtp.ops.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Turns the staged JSONL rows into one Parquet file with DuckDB (docs/decisions/0016): typed columns (times as UTC
 * timestamps, evaluationData as a JSON column), zstd, row groups of DuckDB's default size. DuckDB streams the file
 * through within {@link #MEMORY_LIMIT}, spilling to a temporary directory beside the output if it must, so memory
 * stays flat whatever the row count. Written beside the target and renamed over it, so the target is only ever a
 * complete file.
 */
final class ParquetConversion {

    static final String MEMORY_LIMIT = "256MB";

    private ParquetConversion() {}

    static void convert(Path stagedJsonl, Path parquet) throws IOException, SQLException {
        Path temp = parquet.resolveSibling(parquet.getFileName() + ".tmp");
        Path spill = parquet.resolveSibling(parquet.getFileName() + ".duckdb-tmp");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
             Statement sql = db.createStatement()) {
            sql.execute("SET memory_limit = '" + MEMORY_LIMIT + "'");
            sql.execute("SET threads = 2");
            sql.execute("SET temp_directory = " + literal(spill.toString()));
            sql.execute("SET preserve_insertion_order = false");
            sql.execute("COPY (SELECT eventId, sessionId, entityType, entityId, occurredAt, producer, evaluationData, "
                    + "kafkaPartition, kafkaOffset, to_timestamp(kafkaTimestamp / 1000.0) AS kafkaTimestamp "
                    + "FROM read_json(" + literal(stagedJsonl.toString()) + ", format = 'newline_delimited', "
                    + "columns = {eventId: 'VARCHAR', sessionId: 'VARCHAR', entityType: 'VARCHAR', "
                    + "entityId: 'VARCHAR', occurredAt: 'TIMESTAMPTZ', producer: 'VARCHAR', evaluationData: 'JSON', "
                    + "kafkaPartition: 'INTEGER', kafkaOffset: 'BIGINT', kafkaTimestamp: 'BIGINT'})) "
                    + "TO " + literal(temp.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
        } finally {
            deleteTree(spill);
        }
        Files.move(temp, parquet, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
