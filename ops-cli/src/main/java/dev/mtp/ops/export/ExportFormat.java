package dev.mtp.ops.export;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The file formats of an export, and the file name endings that imply them. */
public enum ExportFormat {
    /** One JSON object per line; evaluationData stays an object. */
    JSONL(".jsonl", ".ndjson", ".json"),
    /** RFC 4180, a header line; evaluationData as a JSON string. */
    CSV(".csv"),
    /** Written by DuckDB from a staged JSONL file (docs/decisions/0016); evaluationData as a JSON string column. */
    PARQUET(".parquet");

    private final String[] endings;

    ExportFormat(String... endings) {
        this.endings = endings;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format a file name implies, if its ending names one. */
    public static Optional<ExportFormat> implied(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> Arrays.stream(f.endings).anyMatch(name::endsWith)).findFirst();
    }

    /** Reads {@code --format}; anything else is a bad argument listing the valid ones. */
    public static final class Converter implements picocli.CommandLine.ITypeConverter<ExportFormat> {
        @Override
        public ExportFormat convert(String value) {
            return Arrays.stream(values()).filter(f -> f.cliName().equals(value)).findFirst()
                    .orElseThrow(() -> new picocli.CommandLine.TypeConversionException("'" + value
                            + "' is not a format; valid: jsonl, csv, parquet"));
        }
    }
}
