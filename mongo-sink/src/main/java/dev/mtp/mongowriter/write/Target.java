package dev.mtp.mongowriter.write;

import dev.mtp.documents.Fields;

/** The collection a planned write goes to. */
public enum Target {
    SESSIONS(Fields.SESSIONS),
    INTERACTIONS(Fields.INTERACTIONS),
    EVALUATIONS(Fields.EVALUATIONS);

    private final String collection;

    Target(String collection) { this.collection = collection; }

    public String collection() { return collection; }
}
