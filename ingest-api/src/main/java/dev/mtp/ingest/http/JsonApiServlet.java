package dev.mtp.ingest.http;

import dev.mtp.common.event.Ids;
import dev.mtp.common.event.InvalidEventException;
import dev.mtp.ingest.application.Accepted;
import dev.mtp.ingest.application.Commands;
import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.InvalidInputException;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.application.PublishFailedException;
import dev.mtp.ingest.application.Requests;
import dev.mtp.ingest.application.read.EntityReader;
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
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String[] parts = path.substring(1).split("/", -1);
        String method = request.getMethod();
        try {
            route(method, parts, request, response);
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
        } catch (ReadUnavailableException e) {
            log.warn("read failed: {}", e.getMessage());
            response.setHeader("Retry-After", "1");
            JsonResponses.problem(response, 503, "Store unavailable", "Not read: " + e.getMessage(), null, null,
                    Map.of("retryable", true));
        }
    }

    private void route(String method, String[] parts, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String collection = parts[0];
        boolean item = parts.length == 2 && !parts[1].isEmpty();
        boolean top = parts.length == 1;
        switch (collection) {
            case "sessions" -> {
                if (top && method.equals("POST")) {
                    write(request, response, in -> requests.persistSession(in));
                } else if (item && method.equals("PATCH")) {
                    String id = pathId("sessionId", parts[1]);
                    write(request, response, in -> requests.updateSession(in, id));
                } else if (item && method.equals("GET")) {
                    read(response, "session", parts[1], () -> service.getSession(pathId("sessionId", parts[1])));
                } else {
                    notAllowed(response, method, top ? "POST" : "GET, PATCH");
                }
            }
            case "interactions" -> {
                if (top && method.equals("POST")) {
                    write(request, response, in -> requests.persistInteraction(in));
                } else if (item && method.equals("GET")) {
                    String sessionId = request.getParameter("sessionId");
                    read(response, "interaction", parts[1], () -> service.getInteraction(
                            pathId("interactionId", parts[1]), sessionId == null ? null : pathId("sessionId", sessionId)));
                } else {
                    notAllowed(response, method, top ? "POST" : "GET");
                }
            }
            case "evaluations" -> {
                if (top && method.equals("POST")) {
                    write(request, response, in -> requests.persistEvaluation(in));
                } else {
                    notAllowed(response, method, "POST");
                }
            }
            case "batch" -> {
                if (top && method.equals("POST")) {
                    batch(request, response);
                } else {
                    notAllowed(response, method, "POST");
                }
            }
            case "sync" -> {
                if (item && method.equals("GET") && parts[1].equals("stats")) {
                    JsonResponses.write(response, 200, service.sync().stats());
                } else if (item && method.equals("GET") && parts[1].equals("load")) {
                    JsonResponses.write(response, 200, service.sync().load());
                } else {
                    notFound(response);
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
        int failed = (int) outcomes.stream().filter(outcome -> outcome.accepted() == null).count();
        int status = failed == 0 ? 200 : failed == outcomes.size() ? 503 : 207;
        JsonResponses.write(response, status, json -> {
            json.writeStartObject();
            json.writeNumberField("accepted", outcomes.size() - failed);
            json.writeNumberField("failed", failed);
            json.writeArrayFieldStart("results");
            for (PersistenceService.BatchOutcome outcome : outcomes) {
                if (outcome.accepted() != null) {
                    Acknowledgements.write(json, outcome.accepted());
                } else {
                    json.writeStartObject();
                    json.writeBooleanField("success", false);
                    json.writeBooleanField("retryable", true);
                    json.writeStringField("error", "Not persisted: " + outcome.failure().getMessage());
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        });
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
        answer.put(what, found.get().document());
        JsonResponses.write(response, 200, answer);
    }

    private static String pathId(String field, String id) {
        String decoded = java.net.URLDecoder.decode(id, java.nio.charset.StandardCharsets.UTF_8);
        if (!Ids.isValid(decoded)) {
            throw new InvalidInputException(field, Ids.RULE);
        }
        return decoded;
    }

    private static void notAllowed(HttpServletResponse response, String method, String allowed) throws IOException {
        response.setHeader("Allow", allowed);
        JsonResponses.problem(response, 405, "Method not allowed", method + " is not allowed here; use " + allowed, null);
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        JsonResponses.problem(response, 404, "Not found", "no such resource; see docs/api/openapi.yaml "
                + "(sessions, interactions, evaluations, batch, sync/stats, sync/load under " + PREFIX + ")", null);
    }
}
