package dev.mtp.common.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InvalidEventException;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Envelope to and from JSON bytes, with one exception type per kind of poison. */
public final class EventCodec {
    private EventCodec() {}

    public static byte[] encode(EventEnvelope envelope) {
        try {
            return Json.mapper().writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode event " + envelope.eventId(), e);
        }
    }

    /**
     * @throws InvalidEventException   the JSON is well formed but breaks the contract
     * @throws UnreadableEventException the bytes are not JSON at all
     */
    public static EventEnvelope decode(byte[] bytes) {
        try {
            EventEnvelope envelope = Json.mapper().readValue(bytes, EventEnvelope.class);
            if (envelope == null) {
                throw new InvalidEventException("$", "an event must be a JSON object");
            }
            return envelope;
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof InvalidEventException invalid) {
                throw invalid;
            }
            throw new InvalidEventException("$", e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException(e.getOriginalMessage());
        } catch (IOException e) {
            throw new UnreadableEventException(e.getMessage());
        }
    }

    /** The record is not JSON. */
    public static final class UnreadableEventException extends IllegalArgumentException {
        public UnreadableEventException(String message) {
            super("not a JSON event: " + message);
        }
    }
}
