package dev.mtp.mongowriter.write;

import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.documents.Fields;
import org.bson.Document;

import java.util.Arrays;
import java.util.Date;

/**
 * What the writer believes a document holds: its revision ({@link #NO_DOCUMENT} = none), the version of each
 * owning topic, with its incarnation ({@link Version#NONE} = no event of that topic applied, or no document), the
 * session's deletion time, and the version of the event that created an interaction document. A write is planned
 * from this belief and its compare-and-set expects the revision: a wrong belief loses the CAS, is corrected by
 * reading the document, and never overwrites anything.
 *
 * <p>A version stored without its incarnation (written before incarnations were recorded) is read with
 * {@link Incarnation#UNKNOWN}, which counts as another incarnation than the one consumed (docs/decisions/0012).
 */
public final class Known {
    /** The offset of a topic no event of which has written the document (also: the document does not exist). */
    public static final long ABSENT = Version.NO_OFFSET;
    /** The revision of a document that does not exist; the first write of a document sets 1. */
    public static final long NO_DOCUMENT = 0L;

    private final Version[] versions = {Version.NONE, Version.NONE, Version.NONE};
    private long rev = NO_DOCUMENT;
    private boolean exists;
    private Date deletedAt;
    private Version interactionsFirst = Version.NONE;

    /** Nothing known: the defaults, which are right for a new document. */
    public static Known nothing() {
        return new Known();
    }

    /** From a stored document (null when it does not exist). */
    public static Known of(Document stored) {
        Known known = new Known();
        if (stored == null) {
            return known;
        }
        known.exists = true;
        if (!(stored.get(Fields.REV) instanceof Number rev)) {
            // SchemaMigration gave every document a revision before this writer started: a writer of schema 1
            // is still running beside it, and no compare-and-set could tell its writes from none.
            throw new IllegalStateException("document " + stored.get(Fields.ID) + " has no " + Fields.REV
                    + ": a mongo-writer of schema 1 is writing; stop every older instance (docs/decisions/0009)");
        }
        known.rev = rev.longValue();
        if (stored.get(Fields.VERSIONS) instanceof Document v) {
            for (TopicRole topic : Guards.SESSION_TOPICS) {
                known.versions[topic.ordinal()] = stored(v, topic.baseName());
            }
            known.interactionsFirst = stored(v, Fields.FIRST_INTERACTION_KEY);
        }
        known.deletedAt = stored.getDate(Fields.DELETED_AT);
        return known;
    }

    /** One version of {@code versions}: its offset, and its incarnation beside it (absent: unknown). */
    private static Version stored(Document versions, String key) {
        if (!(versions.get(key) instanceof Number offset)) {
            return Version.NONE;
        }
        Object tag = versions.get(Fields.incarnationKey(key));
        return Version.of(Incarnation.parse(tag instanceof String s ? s : null), offset.longValue());
    }

    /** The same belief, to plan against without changing what the version cache holds. */
    public Known copy() {
        Known copy = new Known();
        System.arraycopy(versions, 0, copy.versions, 0, versions.length);
        copy.rev = rev;
        copy.exists = exists;
        copy.deletedAt = deletedAt;
        copy.interactionsFirst = interactionsFirst;
        return copy;
    }

    /** Whether the document is believed to exist; a new one is inserted rather than updated. */
    public boolean exists() {
        return exists;
    }

    /** The revision a compare-and-set on the document expects. */
    public long rev() {
        return rev;
    }

    public Version version(TopicRole topic) {
        return versions[topic.ordinal()];
    }

    public Date deletedAt() {
        return deletedAt;
    }

    /** The version of the event that created the interaction document ({@link Version#NONE}: none recorded yet). */
    public Version interactionsFirst() {
        return interactionsFirst;
    }

    /**
     * After a write of {@code topic} at {@code version} succeeded, leaving the document at revision {@code rev};
     * {@code inserted}: it created the document.
     */
    public Known written(TopicRole topic, Version version, long rev, boolean inserted) {
        if (inserted) {
            Arrays.fill(versions, Version.NONE);
            deletedAt = null;
        }
        versions[topic.ordinal()] = version;
        this.rev = rev;
        exists = true;
        return this;
    }

    public Known deletedAt(Date at) {
        this.deletedAt = at;
        return this;
    }

    public Known interactionsFirst(Version version) {
        this.interactionsFirst = version;
        return this;
    }
}
