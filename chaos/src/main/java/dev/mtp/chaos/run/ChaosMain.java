package dev.mtp.chaos.run;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code scripts/chaos [--quick|--long] [--instances N] [--rate N] [--minutes N] [--out DIR]}: runs the pipeline under
 * the fault schedule, prints the report, writes report.json and report.html, and exits 0 only when nothing was lost,
 * wrong or regressed and every fault converged within its bound.
 */
public final class ChaosMain {

    private ChaosMain() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("chaos: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report report = new ChaosRun(repositoryRoot(), options).run();
        report.write(options.out());
        System.out.print(report.text());
        System.out.println("report: " + options.out().toAbsolutePath().resolve("report.html"));
        System.exit(report.passed() ? 0 : 1);
    }

    /** The checkout the apps' jars are built in: MTP_ROOT, else the nearest directory up with the apps' folders. */
    static Path repositoryRoot() {
        String env = System.getenv("MTP_ROOT");
        Path dir = Path.of(env != null ? env : "").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("ingest-api")) && Files.isDirectory(d.resolve("embedded"))) {
                return d;
            }
        }
        throw new IllegalStateException("no mtp checkout at or above " + dir + ": set MTP_ROOT");
    }
}
