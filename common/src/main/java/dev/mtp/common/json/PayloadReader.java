package dev.mtp.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.mtp.common.event.EventPayload;
import dev.mtp.common.event.InvalidEventException;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/** Binds a payload to its record, turning Jackson's errors into field-and-rule messages. */
final class PayloadReader {
    private PayloadReader() {}

    /** Binds the object the parser stands on; bytes that are not JSON stay a {@link StreamReadException}. */
    static EventPayload read(JsonParser parser, DeserializationContext context, JsonDeserializer<Object> deserializer)
            throws StreamReadException {
        try {
            return (EventPayload) deserializer.deserialize(parser, context);
        } catch (StreamReadException e) {
            throw e;
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof InvalidEventException invalid) {
                throw invalid;
            }
            throw new InvalidEventException("payload", e.getOriginalMessage());
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof InvalidEventException invalid) {
                throw invalid;
            }
            throw new InvalidEventException(path(e), rule(e));
        } catch (IOException e) {
            throw new InvalidEventException("payload", e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        String inner = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return inner.isEmpty() ? "payload" : "payload." + inner;
    }

    private static String rule(JsonMappingException e) {
        String message = e.getOriginalMessage();
        if (message.startsWith("Missing required creator property")) {
            return "is required";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "has the wrong type: " + expected(mismatch.getTargetType());
        }
        return message;
    }

    private static String expected(Class<?> type) {
        if (Map.class.isAssignableFrom(type)) {
            return "must be an object";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "must be a number";
        }
        return type.isEnum() ? "must be one of the listed values" : "must be a string";
    }
}
