package dev.mtp.ingest.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mtp.common.event.Ids;
import dev.mtp.common.event.InvalidEventException;
import dev.mtp.ingest.application.Accepted;
import dev.mtp.ingest.application.Commands;
import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.InvalidInputException;
import dev.mtp.ingest.application.MinVersion;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.application.PublishFailedException;
import dev.mtp.ingest.application.Requests;
import dev.mtp.ingest.application.read.EntityReader;
import dev.mtp.ingest.application.read.EntityVersion;
import dev.mtp.ingest.application.read.NotVisibleYetException;
import dev.mtp.ingest.application.read.ReadUnavailableException;
import dev.mtp.ingest.tools.Acknowledgements;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The plain HTTP/JSON API (docs/api/openapi.yaml), on the same service and the same request parser
 * as the MCP tools. Writes answer 202 Accepted once Kafka acknowledged the event (the stores are
 * written behind), with the event's coordinates; bad input 400 and Kafka unavailable 503, as
 * problem+json that names the field and the rule.
 */
public final class JsonApiServlet extends HttpServlet {
    public static final String PREFIX = "/api/v1";
    private static final Logger log = LoggerFactory.getLogger(JsonApiServlet.class);
    private static final Set<String> BATCH_FIELDS = Set.of("writes");
    private static final Set<String> BATCH_ITEM_FIELDS = Set.of("operation", "arguments");

    private final PersistenceService service;
    private final Requests requests;
    private final InputLimits limits;
    private final int maxBodyBytes;
    private final int maxBatchSize;

    public JsonApiServlet(PersistenceService service, Requests requests, InputLimits limits, int maxBodyBytes,
                          int maxBatchSize) {
        this.service = service;
        this.requests = requests;
        this.limits = limits;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatchSize = maxBatchSize;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        try {
            route(method, ApiPath.segments(request, PREFIX), request, response);
        } catch (InvalidInputException e) {
            JsonResponses.problem(response, 400, "Invalid request", e.getMessage(), e.field(), e.rule(), Map.of());
        } catch (InvalidEventException e) {
            String field = e.field().replaceFirst("^payload\\.", "");
            JsonResponses.problem(response, 400, "Invalid request", field + ": " + e.rule(), field, e.rule(), Map.of());
        } catch (PublishFailedException e) {
            log.warn("publish failed: {}", e.getMessage());
            response.setHeader("Retry-After", "1");
            JsonResponses.problem(response, 503, "Kafka unavailable", "Not persisted: " + e.getMessage()
                    + ". Nothing was stored; retry later.", null, null, Map.of("retryable", true));
        } catch (NotVisibleYetException e) {
            response.setHeader("Retry-After", "1");
            JsonResponses.problem(response, 503, "Not visible yet", e.getMessage(), null, null,
                    Map.of("retryable", true));
        } catch (ReadUnavailableException e) {
            log.warn("read failed: {}", e.getMessage());
            response.setHeader("Retry-After", "1");
            JsonResponses.problem(response, 503, "Store unavailable", "Not read: " + e.getMessage(), null, null,
                    Map.of("retryable", true));
        }
    }

    /**
     * Each resource has one shape of path; any other (an extra segment, an empty id) is 404, and 405 only for a
     * resource that exists but not with this method.
     */
    private void route(String method, List<String> parts, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String collection = parts.get(0);
        boolean top = parts.size() == 1;
        boolean item = parts.size() == 2 && !parts.get(1).isEmpty();
        switch (collection) {
            case "sessions" -> {
                if (top && method.equals("POST")) {
                    write(request, response, in -> requests.persistSession(in));
                } else if (item && method.equals("PATCH")) {
                    String id = ApiPath.id("sessionId", parts.get(1));
                    write(request, response, in -> requests.updateSession(in, id));
                } else if (item && method.equals("GET")) {
                    String id = ApiPath.id("sessionId", parts.get(1));
                    EntityVersion minVersion = minVersion(request);
                    read(response, "session", id, () -> service.getSession(id, minVersion));
                } else {
                    refuse(response, method, top ? "POST" : item ? "GET, PATCH" : null);
                }
            }
            case "interactions" -> {
                if (top && method.equals("POST")) {
                    write(request, response, in -> requests.persistInteraction(in));
                } else if (item && method.equals("GET")) {
                    String id = ApiPath.id("interactionId", parts.get(1));
                    String sessionId = request.getParameter("sessionId");
                    if (sessionId != null && !Ids.isValid(sessionId)) {
                        throw new InvalidInputException("sessionId", Ids.RULE);
                    }
                    EntityVersion minVersion = minVersion(request);
                    read(response, "interaction", id, () -> service.getInteraction(id, sessionId, minVersion));
                } else {
                    refuse(response, method, top ? "POST" : item ? "GET" : null);
                }
            }
            case "evaluations" -> {
                if (top && method.equals("POST")) {
                    write(request, response, in -> requests.persistEvaluation(in));
                } else {
                    refuse(response, method, top ? "POST" : null);
                }
            }
            case "batch" -> {
                if (top && method.equals("POST")) {
                    batch(request, response);
                } else {
                    refuse(response, method, top ? "POST" : null);
                }
            }
            case "sync" -> {
                boolean known = item && (parts.get(1).equals("stats") || parts.get(1).equals("load"));
                if (known && method.equals("GET")) {
                    JsonResponses.write(response, 200, parts.get(1).equals("stats") ? service.sync().stats()
                            : service.sync().load());
                } else {
                    refuse(response, method, known ? "GET" : null);
                }
            }
            default -> notFound(response);
        }
    }

    @FunctionalInterface
    private interface Parser {
        Commands.Write parse(Input input);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, Parser parser) throws IOException {
        Map<String, Object> body = JsonBodies.read(request, response, maxBodyBytes);
        if (body == null) {
            return;
        }
        Commands.Write command = parser.parse(Input.of(body, limits));
        Accepted accepted = service.write(command);
        JsonResponses.write(response, 202, json -> Acknowledgements.write(json, accepted));
    }

    /**
     * All writes of a batch are validated before any is published: one bad write refuses the batch (400 naming
     * {@code writes[i]...}) and nothing reaches Kafka. Then each write is published in order; the answer lists
     * each one's outcome. 200 when every write was acknowledged, 503 when none was, 207 for a mix.
     */
    private void batch(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> body = JsonBodies.read(request, response, maxBodyBytes);
        if (body == null) {
            return;
        }
        Input top = Input.of(body, limits);
        top.allowOnly(BATCH_FIELDS);
        if (!(body.get("writes") instanceof List<?> writes)) {
            throw new InvalidInputException("writes", "is required and must be an array of {operation, arguments}");
        }
        if (writes.isEmpty() || writes.size() > maxBatchSize) {
            throw new InvalidInputException("writes", "must hold 1 to " + maxBatchSize
                    + " writes (app.http.max-batch-size), held " + writes.size());
        }
        List<Commands.Write> commands = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            String at = "writes[" + i + "]";
            Input item = new Input(writes.get(i), at, limits);
            item.allowOnly(BATCH_ITEM_FIELDS);
            String operation = item.optionalString("operation", 64)
                    .orElseThrow(() -> item.invalid("operation", "is required"));
            Input arguments = new Input(item.get("arguments"), at + ".arguments", limits);
            commands.add(switch (operation) {
                case "persist_session" -> requests.persistSession(arguments);
                case "update_session" -> requests.updateSession(arguments, null);
                case "persist_interaction" -> requests.persistInteraction(arguments);
                case "persist_evaluation" -> requests.persistEvaluation(arguments);
                default -> throw item.invalid("operation", "'" + operation + "' is not an operation; valid: "
                        + "persist_session, update_session, persist_interaction, persist_evaluation");
            });
        }
        List<PersistenceService.BatchOutcome> outcomes = service.writeBatch(commands);
        int failed = (int) outcomes.stream()
                .filter(outcome -> !(outcome instanceof PersistenceService.BatchOutcome.Acknowledged)).count();
        int status = failed == 0 ? 200 : failed == outcomes.size() ? 503 : 207;
        JsonResponses.write(response, status, json -> {
            json.writeStartObject();
            json.writeNumberField("accepted", outcomes.size() - failed);
            json.writeNumberField("failed", failed);
            json.writeArrayFieldStart("results");
            for (PersistenceService.BatchOutcome outcome : outcomes) {
                switch (outcome) {
                    case PersistenceService.BatchOutcome.Acknowledged ok -> Acknowledgements.write(json, ok.accepted());
                    case PersistenceService.BatchOutcome.Failed f ->
                            failure(json, 503, "Not persisted: " + f.failure().getMessage(), null);
                    case PersistenceService.BatchOutcome.NotSent n -> failure(json, 424, "Not persisted: not sent, "
                            + "because writes[" + n.failedWrite() + "] of the same session failed before it and a "
                            + "session's writes in a batch are applied in order; retry from writes[" + n.failedWrite()
                            + "]", n.failedWrite());
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** A write that was not acknowledged: 503 (Kafka did not acknowledge it) or 424 (not sent), and why. */
    private static void failure(JsonGenerator json, int status, String error, Integer failedWrite) throws IOException {
        json.writeStartObject();
        json.writeBooleanField("success", false);
        json.writeNumberField("status", status);
        json.writeBooleanField("retryable", true);
        json.writeStringField("error", error);
        if (failedWrite != null) {
            json.writeNumberField("failedWrite", failedWrite);
        }
        json.writeEndObject();
    }

    private void read(HttpServletResponse response, String what, String id,
                      java.util.function.Supplier<Optional<EntityReader.Found>> lookup) throws IOException {
        if (!service.readsAvailable()) {
            JsonResponses.problem(response, 501, "Reads not configured",
                    "this instance serves writes only; reads need the cache and MongoDB readers", null);
            return;
        }
        Optional<EntityReader.Found> found = lookup.get();
        if (found.isEmpty()) {
            JsonResponses.problem(response, 404, "Not found", what + " '" + id + "' is in neither Redis nor MongoDB "
                    + "(a write is applied behind its acknowledgement; retry shortly if it was just persisted)", null);
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tier", found.get().tier().wireName());
        if (found.get().strategy() != null) {
            answer.put("cacheStrategy", found.get().strategy());
        }
        answer.put("version", found.get().version().toString());
        answer.put(what, found.get().document());
        JsonResponses.write(response, 200, answer);
    }

    /** The oldest state the caller may read: a {@code version} it was answered before (docs/decisions/0022). */
    private static EntityVersion minVersion(HttpServletRequest request) {
        String token = request.getParameter("minVersion");
        return token == null ? EntityVersion.NONE : MinVersion.parse("minVersion", token);
    }

    /** 405 naming the methods of a resource that exists, or 404 when {@code allowed} is null: no such resource. */
    private static void refuse(HttpServletResponse response, String method, String allowed) throws IOException {
        if (allowed == null) {
            notFound(response);
            return;
        }
        response.setHeader("Allow", allowed);
        JsonResponses.problem(response, 405, "Method not allowed", method + " is not allowed here; use " + allowed, null);
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        JsonResponses.problem(response, 404, "Not found", "no such resource; see docs/api/openapi.yaml "
                + "(sessions, interactions, evaluations, batch, sync/stats, sync/load under " + PREFIX + ")", null);
    }
}
