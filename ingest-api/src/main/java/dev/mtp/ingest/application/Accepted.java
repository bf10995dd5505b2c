package dev.mtp.ingest.application;

import dev.mtp.ingest.application.sync.SyncResult;

/** An acknowledged write: where its event landed, and how it reaches the stores. */
public record Accepted(Published published, SyncResult sync) {
}
