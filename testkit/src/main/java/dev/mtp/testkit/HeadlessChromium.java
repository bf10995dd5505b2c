package dev.mtp.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A page opened in a real headless Chromium, the Debian package {@code scripts/test} installs: what a person's browser
 * would show, after the page's own scripts ran.
 */
public final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 120;

    private HeadlessChromium() {}

    /**
     * The DOM after the page's scripts ran ({@code chromium --headless --dump-dom}), with background fetches, updates
     * and sync off, in a profile of its own under {@code userData}.
     */
    public static String dumpDom(Path file, Path userData) throws IOException, InterruptedException {
        Process chromium = new ProcessBuilder(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + userData, "--dump-dom", file.toUri().toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = chromium.getInputStream().readAllBytes();
        if (!chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new IllegalStateException("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + file);
        }
        if (chromium.exitValue() != 0) {
            throw new IllegalStateException("chromium exited " + chromium.exitValue() + " on " + file);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
