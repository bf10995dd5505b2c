package dev.mtp.documents;

import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import org.bson.Document;

/** Reads the versions a stored document carries ({@link Fields#VERSIONS}, docs/decisions/0006, 0012). */
public final class StoredVersions {
    private StoredVersions() {}

    /**
     * The version of the fields {@code topic} owns: {@code versions.<topic>} with its incarnation beside it;
     * {@link Version#NONE} when no event of that topic wrote the document, an unknown incarnation when it was written
     * before incarnations were recorded.
     */
    public static Version of(Document doc, TopicRole topic) {
        if (doc == null || !(doc.get(Fields.VERSIONS) instanceof Document versions)
                || !(versions.get(topic.baseName()) instanceof Number offset)) {
            return Version.NONE;
        }
        Object tag = versions.get(Fields.incarnationKey(topic.baseName()));
        return Version.of(Incarnation.parse(tag instanceof String s ? s : null), offset.longValue());
    }
}
