package dev.mtp.ingest.http;

import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.InvalidInputException;
import dev.mtp.ingest.tools.Tool;
import dev.mtp.ingest.tools.ToolResult;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The analysis tools on the JSON API: {@code GET /api/v1/usage/analysis} and {@code GET /api/v1/usage/recommendations},
 * their query parameters read as the tools' arguments (numbers and booleans as such), so the rules and messages are
 * the tools' own.
 */
public final class UsageApiServlet extends HttpServlet {
    public static final String PATH = JsonApiServlet.PREFIX + "/usage";

    private final Tool analysis;
    private final Tool recommendations;
    private final InputLimits limits;

    public UsageApiServlet(Tool analysis, Tool recommendations, InputLimits limits) {
        this.analysis = analysis;
        this.recommendations = recommendations;
        this.limits = limits;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        Tool tool = switch (path) {
            case "/analysis" -> analysis;
            case "/recommendations" -> recommendations;
            default -> null;
        };
        if (tool == null) {
            JsonResponses.problem(response, 404, "Not found", "No such resource: " + PATH + path
                    + "; see docs/api/openapi.yaml", null, null, Map.of());
            return;
        }
        if (!request.getMethod().equals("GET")) {
            response.setHeader("Allow", "GET");
            JsonResponses.problem(response, 405, "Method not allowed", request.getMethod() + " is not allowed here; "
                    + "allowed: GET", null, null, Map.of());
            return;
        }
        try {
            ToolResult result = tool.call(Input.of(arguments(request), limits));
            if (result.isError()) {
                JsonResponses.problem(response, result.outcome().httpStatus(), "Not available", result.text(), null,
                        null, Map.of());
            } else {
                JsonResponses.write(response, 200, result.structuredContent());
            }
        } catch (InvalidInputException e) {
            JsonResponses.problem(response, 400, "Invalid request", e.getMessage(), e.field(), e.rule(), Map.of());
        }
    }

    /** Query parameters as JSON values: integers and true/false as such, the rest as text (a repeated one: the first). */
    static Map<String, Object> arguments(HttpServletRequest request) {
        Map<String, Object> fields = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            String value = values[0];
            if (value.matches("-?\\d{1,18}")) {
                fields.put(name, Long.parseLong(value));
            } else if (value.equals("true") || value.equals("false")) {
                fields.put(name, Boolean.parseBoolean(value));
            } else {
                fields.put(name, value);
            }
        });
        return fields;
    }
}
