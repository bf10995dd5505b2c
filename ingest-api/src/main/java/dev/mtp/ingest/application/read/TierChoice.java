package dev.mtp.ingest.application.read;

/**
 * Which tier answers a read that must not go back in time (docs/decisions/0022): Redis when it holds the entity at or
 * past the floor, else MongoDB when its document is, else wait for the writers behind. The floor is the client's
 * {@code minVersion} and, when Redis holds a tombstone, the tombstone's versions: a document older than what Redis
 * already knew is never served, not even as "not found". Without a floor and a tombstone it is the plain rule: Redis,
 * then MongoDB, then not found.
 */
public final class TierChoice {
    private TierChoice() {}

    /** What one tier holds for the entity, and at which versions (none when absent). */
    public record Held(State state, EntityVersion versions) {
        public static final Held ABSENT = new Held(State.ABSENT, EntityVersion.NONE);

        public static Held present(EntityVersion versions) {
            return new Held(State.PRESENT, versions);
        }

        public static Held removed(EntityVersion versions) {
            return new Held(State.REMOVED, versions);
        }
    }

    public enum State {
        PRESENT,
        /** Redis: a tombstone (strategy NONE, deleted); MongoDB: a deleted document. */
        REMOVED,
        /** Nothing, or the tier could not be read. */
        ABSENT
    }

    public enum Choice { REDIS, MONGODB, NOT_FOUND, WAIT }

    /** Whether Redis alone can answer: MongoDB need not be asked. */
    public static boolean redisSuffices(Held redis, EntityVersion minVersion) {
        return redis.state() == State.PRESENT && VersionOrder.atOrPast(redis.versions(), minVersion);
    }

    public static Choice choose(Held redis, Held mongo, EntityVersion minVersion) {
        if (redisSuffices(redis, minVersion)) {
            return Choice.REDIS;
        }
        EntityVersion tombstone = redis.state() == State.REMOVED ? redis.versions() : EntityVersion.NONE;
        if (mongo.state() == State.ABSENT) {
            return minVersion.isNone() && tombstone.isNone() ? Choice.NOT_FOUND : Choice.WAIT;
        }
        if (!VersionOrder.atOrPast(mongo.versions(), minVersion) || !VersionOrder.atOrPast(mongo.versions(), tombstone)) {
            return Choice.WAIT;
        }
        return mongo.state() == State.PRESENT ? Choice.MONGODB : Choice.NOT_FOUND;
    }
}
