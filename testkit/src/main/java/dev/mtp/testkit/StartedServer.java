package dev.mtp.testkit;

/** A server this JVM started for its tests: where it listens, what it is (for the log), and how to stop it. */
record StartedServer(String address, String origin, AutoCloseable stopper) {
}
