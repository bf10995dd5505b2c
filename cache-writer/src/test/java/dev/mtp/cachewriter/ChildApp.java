package dev.mtp.cachewriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** cache-writer's main in its own JVM, configured by system properties, with its output in a file. */
final class ChildApp implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ChildApp(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static ChildApp start(Map<String, String> settings, Path output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add(CacheWriterApp.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        return new ChildApp(process, output);
    }

    void awaitStarted(Duration timeout) {
        await("cache-writer started in " + output).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("cache-writer exited with " + process.exitValue() + ":\n"
                        + Files.readString(output));
            }
            return Files.readString(output).contains("cache-writer started in");
        });
    }

    /** SIGKILL: no shutdown hook, no last commit, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
