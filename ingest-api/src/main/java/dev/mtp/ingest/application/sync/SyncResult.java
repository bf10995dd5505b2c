package dev.mtp.ingest.application.sync;

/**
 * What the adaptive sync did with one acknowledged write.
 *
 * @param method how the write reaches the stores
 * @param reason why, in words (e.g. "high load: fast-path pool saturated"), for the answer and the stats
 */
public record SyncResult(SyncMethod method, String reason) {
}
