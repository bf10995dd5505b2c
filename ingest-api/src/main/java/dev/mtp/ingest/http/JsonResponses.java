package dev.mtp.ingest.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mtp.common.json.Json;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON bodies; errors as RFC 9457 problem details that name the field and the rule, never a stack trace. */
public final class JsonResponses {
    private JsonResponses() {}

    public static void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        Json.mapper().writeValue(response.getOutputStream(), body);
    }

    /** A body written by the caller straight to the generator, for answers sent on every write. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(JsonGenerator json) throws IOException;
    }

    public static void write(HttpServletResponse response, int status, BodyWriter body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(response.getOutputStream())) {
            body.write(json);
        }
    }

    public static void problem(HttpServletResponse response, int status, String title, String detail, String field)
            throws IOException {
        problem(response, status, title, detail, field, null, Map.of());
    }

    /**
     * A refusal sent before the request's body was read, after which the connection is closed. Otherwise the server
     * discards the unread body, or closes the connection when it cannot, and a client that sent its next request on
     * that connection meanwhile reads no answer at all ("header parser received no bytes").
     */
    public static void refuseUnread(HttpServletResponse response, int status, String title, String detail,
                                    String field) throws IOException {
        response.setHeader("Connection", "close");
        problem(response, status, title, detail, field);
    }

    /**
     * @param field the offending field as a path into the request, or null
     * @param rule  the rule it breaks, or null
     * @param extra further members (e.g. {@code validValues}, {@code retryable})
     */
    public static void problem(HttpServletResponse response, int status, String title, String detail, String field,
                               String rule, Map<String, Object> extra) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        if (rule != null) {
            body.put("rule", rule);
        }
        body.putAll(extra);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        Json.mapper().writeValue(response.getOutputStream(), body);
    }
}
