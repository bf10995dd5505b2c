package dev.mtp.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root folder, found from a module's working directory: the first one up holding {@code ./mtp}. */
final class RepositoryRoot {
    private RepositoryRoot() {}

    static Path find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mtp"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root (a folder holding ./mtp) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
