package dev.mtp.reconciler.check;

/**
 * Where the result of every check is recorded for ops (seed: {@code kvshadow}, "sync tracking"). Implementations
 * never block the caller: checks run on the stream threads.
 */
public interface SyncTracking extends AutoCloseable {

    /** Records one check (and its repair). */
    void checked(CheckOutcome outcome);

    /** The key left the shadow (expired and verified gone): its record goes too. */
    void forget(String key);

    @Override
    default void close() {
    }

    /** Records nothing ({@code app.reconciler.tracking=false}, tests). */
    SyncTracking NONE = new SyncTracking() {
        @Override
        public void checked(CheckOutcome outcome) {
        }

        @Override
        public void forget(String key) {
        }
    };
}
