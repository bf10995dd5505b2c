package dev.mtp.ingest.tools;

import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.MinVersion;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.application.read.EntityReader;
import dev.mtp.ingest.application.read.EntityVersion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.mtp.ingest.tools.Schemas.*;

/** get_session and get_interaction: Redis first, MongoDB fallback, saying which tier answered. */
public final class GetEntityTool implements Tool {
    private static final Map<String, Object> MIN_VERSION = plain("string", "A version answered before (by this read "
            + "or a write's acknowledgement, field version; opaque): the read never answers older state, and waits "
            + "briefly for the writers when neither tier has it yet.");
    private final PersistenceService service;
    private final boolean session;

    private GetEntityTool(PersistenceService service, boolean session) {
        this.service = service;
        this.session = session;
    }

    public static GetEntityTool session(PersistenceService service) {
        return new GetEntityTool(service, true);
    }

    public static GetEntityTool interaction(PersistenceService service) {
        return new GetEntityTool(service, false);
    }

    @Override public String name() { return session ? "get_session" : "get_interaction"; }

    @Override public String title() { return session ? "Read a session" : "Read an interaction"; }

    @Override
    public String description() {
        String what = session ? "session" : "interaction";
        return "Read a " + what + ": from Redis when cached (fast; only the fields its cache strategy keeps), else the "
                + "complete document from MongoDB. The answer says which tier answered. Writes are applied behind: a "
                + what + " persisted a moment ago may not be readable yet (found=false); pass the version of its "
                + "acknowledgement or of an earlier read as minVersion to never read older state than that.";
    }

    @Override public boolean readOnly() { return true; }

    @Override
    public Map<String, Object> inputSchema() {
        return session
                ? object(List.of("sessionId"), props("sessionId", id("The session to read."),
                        "minVersion", MIN_VERSION))
                : object(List.of("interactionId"), props("interactionId", id("The interaction to read."),
                        "sessionId", id("Its session, when known."), "minVersion", MIN_VERSION));
    }

    @Override
    public Map<String, Object> outputSchema() {
        return output(List.of("found"), props(
                "found", plain("boolean", "Whether either tier has it."),
                "tier", strings("The store that answered.", "redis", "mongodb"),
                "cacheStrategy", plain("string", "The strategy the cached copy was written with."),
                "version", plain("string", "The version of the state answered (opaque): pass it as minVersion later."),
                session ? "session" : "interaction", plain("object", "The stored state.")));
    }

    @Override
    public ToolResult call(Input arguments) {
        Optional<EntityReader.Found> found;
        String id;
        if (session) {
            arguments.allowOnly(Set.of("sessionId", "minVersion"));
            id = arguments.requiredId("sessionId");
            found = service.getSession(id, minVersion(arguments));
        } else {
            arguments.allowOnly(Set.of("interactionId", "sessionId", "minVersion"));
            id = arguments.requiredId("interactionId");
            found = service.getInteraction(id, arguments.optionalId("sessionId").orElse(null), minVersion(arguments));
        }
        return answer(session ? "session" : "interaction", id, found);
    }

    private static EntityVersion minVersion(Input arguments) {
        return arguments.optionalString("minVersion", EntityVersion.MAX_TOKEN_CHARS)
                .map(token -> MinVersion.parse(arguments.path("minVersion"), token))
                .orElse(EntityVersion.NONE);
    }

    static ToolResult answer(String what, String id, Optional<EntityReader.Found> found) {
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("found", found.isPresent());
        if (found.isEmpty()) {
            return ToolResult.success(what + " " + id + " not found in Redis or MongoDB", structured);
        }
        structured.put("tier", found.get().tier().wireName());
        if (found.get().strategy() != null) {
            structured.put("cacheStrategy", found.get().strategy());
        }
        structured.put("version", found.get().version().toString());
        structured.put(what, found.get().document());
        return ToolResult.success(what + " " + id + " from " + found.get().tier().wireName(), structured);
    }
}
