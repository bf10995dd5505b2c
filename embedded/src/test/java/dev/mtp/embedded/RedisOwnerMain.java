package dev.mtp.embedded;

import java.nio.file.Path;

/** A JVM that owns a private redis-server in the directory {@code args[0]} and waits to be killed. */
final class RedisOwnerMain {

    private RedisOwnerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // A given directory: this JVM dies by SIGKILL, so it could not delete a temporary one.
        RedisServerProcess redis = RedisServerProcess.builder().dir(Path.of(args[0])).start();
        System.out.println("redis-port=" + redis.port());
        Thread.sleep(Long.MAX_VALUE);
    }
}
