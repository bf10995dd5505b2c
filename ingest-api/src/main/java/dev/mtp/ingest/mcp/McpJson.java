package dev.mtp.ingest.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;

/**
 * The SDK's JSON mapper (Jackson 2, the project's one Jackson), configured so that no Java stack
 * trace ever reaches a client. The SDK's servlet transports write an error response by serializing
 * the {@link McpError} exception itself, which Jackson renders with {@code stackTrace},
 * {@code cause} and {@code suppressed}. Here an McpError is written as the JSON-RPC error response
 * it stands for, and any other Throwable as its message only.
 */
public final class McpJson {
    private McpJson() {}

    public static McpJsonMapper mapper() {
        SimpleModule errors = new SimpleModule("mcp-errors-without-stack-traces");
        errors.addSerializer(McpError.class, new McpErrorSerializer());
        JsonMapper mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // Read results carry timestamps (Instant): ISO-8601 text, as on the JSON API.
                .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addMixIn(Throwable.class, ThrowableMessageOnly.class)
                .addModule(errors)
                .build();
        return new JacksonMcpJsonMapper(mapper);
    }

    @JsonIgnoreProperties({"stackTrace", "cause", "suppressed", "localizedMessage"})
    private abstract static class ThrowableMessageOnly {}

    private static final class McpErrorSerializer extends JsonSerializer<McpError> {
        @Override
        public void serialize(McpError error, JsonGenerator json, SerializerProvider provider) throws IOException {
            McpSchema.JSONRPCResponse.JSONRPCError rpc = error.getJsonRpcError();
            json.writeStartObject();
            json.writeStringField("jsonrpc", McpSchema.JSONRPC_VERSION);
            json.writeNullField("id");
            json.writeObjectFieldStart("error");
            json.writeNumberField("code", rpc != null && rpc.code() != null ? rpc.code() : McpSchema.ErrorCodes.INTERNAL_ERROR);
            json.writeStringField("message", rpc != null && rpc.message() != null ? rpc.message() : "Internal error");
            if (rpc != null && rpc.data() != null) {
                provider.defaultSerializeField("data", rpc.data(), json);
            }
            json.writeEndObject();
            json.writeEndObject();
        }
    }
}
