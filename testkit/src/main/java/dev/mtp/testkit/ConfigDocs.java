package dev.mtp.testkit;

import dev.mtp.common.config.ConfigTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keeps each app's documented config table (docs/config/APP.md) equal to its {@link ConfigTable}, so a
 * default is stated in one place. Run the tests with {@code -Ddocs.update=true} to rewrite the files.
 */
public final class ConfigDocs {
    private ConfigDocs() {}

    public static void assertDocumented(ConfigTable table) throws IOException {
        Path file = RepositoryRoot.find().resolve("docs/config/" + table.appName() + ".md");
        String expected = "# " + table.appName() + " configuration\n\n"
                + "Every key can be set as a JVM system property (`-Dkey=value`), as an environment variable "
                + "(upper case, `.` and `-` become `_`), or in the file named by `APP_CONFIG_FILE` (YAML or "
                + ".properties), in that order of precedence; any key can also be read from the file named by "
                + "`<ENVIRONMENT_VARIABLE>_FILE` (docs/security.md). Invalid values stop the app at start with one line "
                + "naming the key and the rule.\n\n"
                + table.markdown().strip() + "\n";
        if (Boolean.getBoolean("docs.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertEquals(expected, actual, file + " is out of date: run the tests with -Ddocs.update=true");
    }
}
