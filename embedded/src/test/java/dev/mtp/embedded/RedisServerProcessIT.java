package dev.mtp.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerProcessIT {

    @Test
    void restartKeepsThePortAndStartsEmptyWithoutAppendOnly() throws IOException {
        try (RedisServerProcess redis = RedisServerProcess.builder().start()) {
            int port = redis.port();
            assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + port);
            assertThat(send(port, "SET k v")).isEqualTo("+OK");

            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(send(port, "GET k")).isEqualTo("$-1");
        }
    }

    @Test
    void appendOnlyDataSurvivesRestart() throws IOException {
        try (RedisServerProcess redis = RedisServerProcess.builder().appendOnly(true).start()) {
            assertThat(send(redis.port(), "SET k v")).isEqualTo("+OK");

            redis.restart();

            assertThat(send(redis.port(), "GET k")).isEqualTo("$1");
        }
    }

    @Test
    void stoppedServerRefusesConnectionsUntilStarted() throws IOException {
        try (RedisServerProcess redis = RedisServerProcess.builder().start()) {
            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThat(FreePorts.isListening(redis.port())).isFalse();

            redis.start();
            assertThat(send(redis.port(), "PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void closeKillsTheProcessAndDeletesItsOwnDirectory() {
        RedisServerProcess redis = RedisServerProcess.builder().start();
        Path dir = redis.dir();

        redis.close();

        assertThat(FreePorts.isListening(redis.port())).isFalse();
        assertThat(redisServersOfThisJvm()).isZero();
        assertThat(dir).doesNotExist();
    }

    @Test
    void givenDirectoryIsKept(@TempDir Path dir) {
        try (RedisServerProcess redis = RedisServerProcess.builder().dir(dir).start()) {
            assertThat(redis.dir()).isEqualTo(dir);
        }
        assertThat(dir.resolve("redis.log")).exists();
    }

    @Test
    void redisServerDiesWithItsOwnerEvenOnSigkill(@TempDir Path dir) throws Exception {
        int port;
        try (ChildJvm owner = ChildJvm.start(RedisOwnerMain.class, dir.resolve("owner.log"),
                dir.resolve("redis").toString())) {
            String line = owner.awaitLine("redis-port=", Duration.ofSeconds(20));
            port = Integer.parseInt(line.substring(line.indexOf('=') + 1).strip());
            assertThat(FreePorts.isListening(port)).isTrue();

            owner.kill();
        }
        await("redis-server on port " + port + " gone").atMost(Duration.ofSeconds(10))
                .until(() -> !FreePorts.isListening(port));
    }

    @Test
    void missingBinaryIsReportedClearly(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-redis-server");
        assertThatThrownBy(() -> RedisServerProcess.builder().binary(missing).start())
                .hasMessage("redis-server binary " + missing + " is not an executable file");
    }

    private static long redisServersOfThisJvm() {
        return ProcessHandle.current().descendants()
                .filter(process -> process.info().command().orElse("").contains("redis-server"))
                .count();
    }

    /** One inline command over a plain socket; returns the first reply line. */
    private static String send(int port, String command) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int c = in.read(); c != '\r' && c != -1; c = in.read()) {
                reply.append((char) c);
            }
            return reply.toString();
        }
    }
}
