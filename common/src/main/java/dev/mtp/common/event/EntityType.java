package dev.mtp.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an evaluation is about. Written in JSON as the seed writes it: "session", "interaction". */
public enum EntityType {
    SESSION("session"),
    INTERACTION("interaction");

    private final String json;

    EntityType(String json) { this.json = json; }

    @JsonValue
    public String json() { return json; }

    @JsonCreator
    public static EntityType fromJson(String value) {
        for (EntityType type : values()) {
            if (type.json.equals(value)) {
                return type;
            }
        }
        throw new InvalidEventException("payload.entityType", "'" + value + "' is not one of session, interaction");
    }
}
