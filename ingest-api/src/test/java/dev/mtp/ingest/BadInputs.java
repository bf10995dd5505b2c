package dev.mtp.ingest;

import java.util.List;

/**
 * Every validation rule of the edge, as one bad request each: the operation, its arguments (JSON), the field the
 * error must name and a fragment of the rule it must state. Used by the unit test of the parser and by the
 * integration tests that send each one over the JSON API and over MCP and check that nothing reached Kafka.
 */
public final class BadInputs {
    private BadInputs() {}

    public record Case(String name, String operation, String arguments, String field, String rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String SESSION = "\"sessionId\":\"s-1\",\"userId\":\"u-1\"";
    static final String INTERACTION = "\"sessionId\":\"s-1\",\"role\":\"assistant\",\"response\":\"hi\"";
    static final String EVALUATION = "\"entityId\":\"s-1\",\"entityType\":\"session\",\"evaluationData\":{\"score\":1}";

    public static final List<Case> ALL = List.of(
            // required fields
            new Case("session id missing", "persist_session", "{\"userId\":\"u-1\"}", "sessionId", "is required"),
            new Case("user id missing", "persist_session", "{\"sessionId\":\"s-1\"}", "userId", "is required"),
            new Case("interaction session missing", "persist_interaction", "{\"role\":\"assistant\",\"response\":\"hi\"}",
                    "sessionId", "is required"),
            new Case("role missing", "persist_interaction", "{\"sessionId\":\"s-1\",\"response\":\"hi\"}", "role", "is required"),
            new Case("request and response missing", "persist_interaction", "{\"sessionId\":\"s-1\",\"role\":\"user\"}",
                    "response", "request or response is required"),
            new Case("entity id missing", "persist_evaluation", "{\"entityType\":\"session\",\"evaluationData\":{\"a\":1}}",
                    "entityId", "is required"),
            new Case("entity type missing", "persist_evaluation", "{\"entityId\":\"s-1\",\"evaluationData\":{\"a\":1}}",
                    "entityType", "is required"),
            new Case("evaluation data missing", "persist_evaluation", "{\"entityId\":\"s-1\",\"entityType\":\"session\"}",
                    "evaluationData", "is required"),
            new Case("evaluation data empty", "persist_evaluation",
                    "{\"entityId\":\"s-1\",\"entityType\":\"session\",\"evaluationData\":{}}", "evaluationData", "must not be empty"),
            new Case("update without fields", "update_session", "{\"sessionId\":\"s-1\"}", "(fields)", "give at least one of"),
            // ids
            new Case("id with a space", "persist_session", "{\"sessionId\":\"s 1\",\"userId\":\"u-1\"}", "sessionId",
                    "must be 1-128 characters of A-Z a-z 0-9 . _ : -"),
            new Case("id with a brace", "persist_session", "{\"sessionId\":\"s-1\",\"userId\":\"{u}\"}", "userId",
                    "must be 1-128 characters"),
            new Case("id too long", "persist_interaction", "{" + INTERACTION + ",\"interactionId\":\"" + "i".repeat(129) + "\"}",
                    "interactionId", "must be 1-128 characters"),
            new Case("empty id", "persist_evaluation", "{\"entityId\":\"\",\"entityType\":\"session\",\"evaluationData\":{\"a\":1}}",
                    "entityId", "must be 1-128 characters"),
            // types
            new Case("id not a string", "persist_session", "{\"sessionId\":123,\"userId\":\"u-1\"}", "sessionId",
                    "must be a string, was a number"),
            new Case("context not an object", "persist_session", "{" + SESSION + ",\"context\":[1,2]}", "context",
                    "must be an object, was an array"),
            new Case("metadata a string", "persist_interaction", "{" + INTERACTION + ",\"metadata\":\"x\"}", "metadata",
                    "must be an object, was a string"),
            new Case("processing time a string", "persist_interaction", "{" + INTERACTION + ",\"processingTimeMs\":\"150\"}",
                    "processingTimeMs", "must be an integer, was a string"),
            new Case("processing time a fraction", "persist_interaction", "{" + INTERACTION + ",\"processingTimeMs\":1.5}",
                    "processingTimeMs", "must be an integer, was a number"),
            new Case("processing time negative", "persist_interaction", "{" + INTERACTION + ",\"processingTimeMs\":-1}",
                    "processingTimeMs", "must be between 0 and 86400000"),
            new Case("processing time absurd", "persist_interaction", "{" + INTERACTION + ",\"processingTimeMs\":86400001}",
                    "processingTimeMs", "must be between 0 and 86400000"),
            new Case("status a boolean", "update_session", "{\"sessionId\":\"s-1\",\"status\":true}", "status",
                    "must be a string, was a boolean"),
            new Case("status blank", "persist_session", "{" + SESSION + ",\"status\":\"  \"}", "status", "must not be blank"),
            new Case("status too long", "persist_session", "{" + SESSION + ",\"status\":\"" + "x".repeat(65) + "\"}",
                    "status", "must be at most 64 characters"),
            new Case("role too long", "persist_interaction",
                    "{\"sessionId\":\"s-1\",\"role\":\"" + "r".repeat(33) + "\",\"response\":\"hi\"}", "role", "at most 32"),
            new Case("entity type unknown", "persist_evaluation",
                    "{\"entityId\":\"s-1\",\"entityType\":\"user\",\"evaluationData\":{\"a\":1}}", "entityType",
                    "'user' is not one of session, interaction"),
            // strategies
            new Case("session strategy unknown", "persist_session", "{" + SESSION + ",\"cacheStrategy\":\"EVERYTHING\"}",
                    "cacheStrategy", "valid: NONE, CRITICAL_ONLY, WITH_CONTEXT, FULL_SESSION"),
            new Case("session strategy wrong case", "update_session", "{\"sessionId\":\"s-1\",\"cacheStrategy\":\"with_context\"}",
                    "cacheStrategy", "valid: NONE, CRITICAL_ONLY, WITH_CONTEXT, FULL_SESSION"),
            new Case("interaction strategy unknown", "persist_interaction", "{" + INTERACTION + ",\"cacheStrategy\":\"FULL_SESSION\"}",
                    "cacheStrategy", "valid: NONE, RESPONSE_ONLY, WITH_CONTEXT, FULL_INTERACTION"),
            // evaluation relations
            new Case("interaction evaluation without session", "persist_evaluation",
                    "{\"entityId\":\"i-1\",\"entityType\":\"interaction\",\"evaluationData\":{\"a\":1}}", "sessionId",
                    "is required when entityType is interaction"),
            new Case("session evaluation of another session", "persist_evaluation", "{" + EVALUATION + ",\"sessionId\":\"s-2\"}",
                    "sessionId", "must equal entityId"),
            // user maps: depth, size, keys
            new Case("context too deep", "persist_session", "{" + SESSION + ",\"context\":" + nested(11) + "}",
                    "context.a.a.a.a.a.a.a.a.a.a", "nests deeper than 10 levels"),
            new Case("evaluation data too deep in an array", "persist_evaluation",
                    "{\"entityId\":\"s-1\",\"entityType\":\"session\",\"evaluationData\":{\"l\":[[[[[[[[[[1]]]]]]]]]]}}",
                    "evaluationData.l[0][0][0][0][0][0][0][0][0]", "nests deeper than 10 levels"),
            new Case("metadata too large", "persist_session",
                    "{" + SESSION + ",\"metadata\":{\"blob\":\"" + "x".repeat(70_000) + "\"}}", "metadata",
                    "must be at most 65536 bytes as JSON"),
            new Case("key with a dot", "persist_session", "{" + SESSION + ",\"context\":{\"user.name\":\"ann\"}}",
                    "context[\"user.name\"]", "keys must not contain '.'"),
            new Case("nested key with a dollar", "persist_interaction",
                    "{" + INTERACTION + ",\"context\":{\"filter\":{\"$where\":\"1\"}}}", "context.filter[\"$where\"]",
                    "keys must not start with '$'"),
            new Case("evaluation key with a dollar", "persist_evaluation",
                    "{\"entityId\":\"s-1\",\"entityType\":\"session\",\"evaluationData\":{\"$set\":{\"x\":1}}}",
                    "evaluationData[\"$set\"]", "keys must not start with '$'"),
            new Case("empty key", "persist_session", "{" + SESSION + ",\"metadata\":{\"\":1}}", "metadata[\"\"]",
                    "keys must not be empty"),
            new Case("key too long", "persist_session", "{" + SESSION + ",\"metadata\":{\"" + "k".repeat(257) + "\":1}}",
                    "metadata." + "k".repeat(257), "keys must be at most 256 characters"),
            new Case("text too long", "persist_interaction",
                    "{\"sessionId\":\"s-1\",\"role\":\"user\",\"request\":\"" + "q".repeat(262_145) + "\"}", "request",
                    "must be at most 262144 characters"),
            // unknown fields
            new Case("misspelt field", "persist_session", "{" + SESSION + ",\"cachestrategy\":\"NONE\"}", "cachestrategy",
                    "is not a field of this request"));

    static String nested(int levels) {
        return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
    }
}
