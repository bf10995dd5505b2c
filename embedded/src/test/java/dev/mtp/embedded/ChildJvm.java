package dev.mtp.embedded;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A main class of this module run in its own JVM, as {@code ./mtp up} runs it, with its output in a file. */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static ChildJvm start(Class<?> mainClass, Path output, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        return new ChildJvm(process, output);
    }

    /** Waits until the output has a line containing {@code text}; returns that line. */
    String awaitLine(String text, Duration timeout) {
        return await("'" + text + "' in " + output).atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> lines().stream().filter(line -> line.contains(text)).findFirst().orElse(null),
                        line -> line != null);
    }

    /** SIGTERM, as {@code ./mtp down} sends; returns the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Waits for the JVM to exit by itself; returns the exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no exit within " + timeout + "; output:\n" + String.join("\n", lines()));
        }
        return process.exitValue();
    }

    /** SIGKILL: the JVM gets no chance to run shutdown hooks. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    List<String> lines() {
        try {
            return Files.readAllLines(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
