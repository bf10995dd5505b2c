package dev.mtp.ops;

import dev.mtp.embedded.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's main job, end to end: ./mtp up, demo, status, down on ports of its own, with its own
 * Kafka, redis-server and MongoDB stand-in; afterwards no process it started is left.
 */
class MtpLauncherIT {

    @TempDir
    Path runDir;

    @Test
    void upDemoStatusAndDownRunTheWholePipelineAndLeaveNothingBehind() throws Exception {
        int[] ports = FreePorts.pick(8);
        Map<String, String> env = Map.of(
                "MTP_RUN_DIR", runDir.toString(),
                "KAFKA_PORT", Integer.toString(ports[0]),
                "REDIS_PORT", Integer.toString(ports[1]),
                "MONGO_PORT", Integer.toString(ports[2]),
                "INGEST_PORT", Integer.toString(ports[3]),
                "INGEST_OPS_PORT", Integer.toString(ports[4]),
                "CACHE_WRITER_OPS_PORT", Integer.toString(ports[5]),
                "MONGO_WRITER_OPS_PORT", Integer.toString(ports[6]),
                "RECONCILER_OPS_PORT", Integer.toString(ports[7]));
        try {
            Result up = mtp(env, "up");
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(up.output()).contains("ready: ingest API  http://localhost:" + ports[3]);

            Result demo = mtp(env, "demo");
            assertThat(demo.exitCode()).as(demo.output()).isZero();
            assertThat(demo.output())
                    .contains("session.created session-123 accepted: mtp.sessions.v1")
                    .contains("interaction.recorded int-789 accepted: mtp.interactions.v1")
                    .contains("evaluation.recorded session-123 accepted: mtp.evaluations.v1")
                    .doesNotContain("\"isError\":true");
            // where the events landed: each tier, as the writers left it
            assertThat(demo.output())
                    .containsPattern("offset 0  session\\.created .*  redis duplicate, mongodb duplicate\\n")
                    .containsPattern("offset 0  interaction\\.recorded .*  redis duplicate, mongodb duplicate\\n")
                    .containsPattern("offset 0  evaluation\\.recorded .*  mongodb duplicate\\n")
                    .containsPattern("mtp:\\{session-123\\}:s\\s+WITH_CONTEXT, versions 0\\.[A-Za-z0-9_-]{8},")
                    .doesNotContain("another incarnation")
                    .containsPattern("mtp:\\{session-123\\}:latest\\s+RESPONSE_ONLY")
                    .contains("\"response\":\"Our product offers...\"")
                    .containsPattern("sessions\\s+\\{\"_id\": \"session-123\"")
                    .contains("\"interactionCount\": 1")
                    .contains("\"evaluationData\": {\"satisfaction_score\": 4.5")
                    .containsPattern("interactions\\s+\\{\"_id\": \"int-789\"")
                    .containsPattern("evaluations\\s+\\{\"_id\": \"[0-9a-f-]{36}\", \"entityId\": \"session-123\"");

            // every ops-cli command passes through ./mtp, with the stack's endpoints and ops-cli's exit codes
            Result describe = mtp(env, "topics", "describe");
            assertThat(describe.exitCode()).as(describe.output()).isZero();
            assertThat(describe.output()).containsPattern("mtp\\.evaluations\\.v1\\s+6\\s+90d\\s+topic\\s+1\\s")
                    .containsPattern("mtp-mongo-writer\\s+mongo-writer\\s+mtp\\.evaluations\\.v1\\s+stable\\s+1\\s+\\d/6\\s+\\d");
            Result bad = mtp(env, "export", "evaluations", "-o", "evaluations.xlsx");
            assertThat(bad.exitCode()).isEqualTo(2);
            assertThat(bad.output()).contains("mtp-ops export evaluations: --output: cannot tell the format");

            Result status = mtp(env, "status");
            assertThat(status.output().lines().skip(1))
                    .hasSize(7)
                    .allSatisfy(line -> assertThat(line).containsPattern("\\s(up)\\s+yes\\s"));
        } finally {
            List<Long> pids = startedPids();
            Result down = mtp(env, "down");
            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(pids).isNotEmpty().allSatisfy(pid ->
                    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                            .as("pid %d still running after ./mtp down", pid).isFalse());
        }
    }

    private List<Long> startedPids() throws IOException {
        Path pids = runDir.resolve("pids");
        if (!Files.isDirectory(pids)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(pids)) {
            return files.map(file -> {
                try {
                    return Long.parseLong(Files.readString(file).strip());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    private static Result mtp(Map<String, String> env, String... command) throws Exception {
        Path root = repositoryRoot();
        List<String> line = new java.util.ArrayList<>(List.of(root.resolve("mtp").toString()));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line)
                .directory(root.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("KAFKA_BOOTSTRAP_SERVERS", "REDIS_URL", "MONGODB_URI"));
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("mtp"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    private record Result(int exitCode, String output) {}
}
