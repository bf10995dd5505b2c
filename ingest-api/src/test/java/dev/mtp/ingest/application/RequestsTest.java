package dev.mtp.ingest.application;

import dev.mtp.common.strategy.InteractionCacheStrategy;
import dev.mtp.common.strategy.SessionCacheStrategy;
import dev.mtp.common.strategy.StrategyDefaults;
import dev.mtp.common.strategy.StrategyProfile;
import dev.mtp.ingest.BadInputs;
import dev.mtp.ingest.http.StrictJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestsTest {
    private static final UUID FIXED = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private final Requests requests = new Requests(StrategyDefaults.of(StrategyProfile.PRODUCTION), () -> FIXED);

    static final java.util.List<BadInputs.Case> cases = BadInputs.ALL;

    @ParameterizedTest(name = "{0}")
    @FieldSource("cases")
    void everyRuleNamesTheFieldAndTheRule(BadInputs.Case bad) {
        Input input = Input.of(fields(bad.arguments()), InputLimits.DEFAULTS);

        assertThatThrownBy(() -> parse(bad.operation(), input))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo(bad.field());
                    assertThat(e.rule()).contains(bad.rule());
                });
    }

    @Test
    void aBatchItemsErrorIsNamedUnderItsPath() {
        Map<String, Object> item = fields("{\"sessionId\":\"s-1\",\"userId\":\"u 1\"}");

        assertThatThrownBy(() -> requests.persistSession(new Input(item, "writes[3].arguments", InputLimits.DEFAULTS)))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.field()).isEqualTo("writes[3].arguments.userId"));
    }

    @Test
    void theSeedsSessionIsAcceptedWithItsStrategyAndDefaults() {
        var command = requests.persistSession(Input.of(fields("""
                {"sessionId":"session-123","userId":"user-456","context":{"currentTopic":"product_inquiry"},
                 "cacheStrategy":"WITH_CONTEXT"}"""), InputLimits.DEFAULTS));

        assertThat(command.status()).isEqualTo("active");
        assertThat(command.cacheStrategy()).isEqualTo(SessionCacheStrategy.WITH_CONTEXT);
        assertThat(command.context()).isEqualTo(Map.of("currentTopic", "product_inquiry"));
        assertThat(command.metadata()).isEmpty();
    }

    @Test
    void anInteractionWithoutIdGetsAGeneratedOneAndTheDefaultStrategy() {
        var command = requests.persistInteraction(Input.of(fields(
                "{\"sessionId\":\"s-1\",\"role\":\"user\",\"request\":\"\"}"), InputLimits.DEFAULTS));

        assertThat(command.interactionId()).isEqualTo(FIXED.toString());
        assertThat(command.cacheStrategy()).isEqualTo(InteractionCacheStrategy.RESPONSE_ONLY);
        assertThat(command.request()).isEmpty();
    }

    @Test
    void aNamedStrategyWinsOverTheProfilesDefault() {
        Requests development = new Requests(StrategyDefaults.of(StrategyProfile.DEVELOPMENT), () -> FIXED);
        String bare = "{\"sessionId\":\"s-1\",\"userId\":\"u-1\"";

        var unnamed = development.persistSession(Input.of(fields(bare + "}"), InputLimits.DEFAULTS));
        var named = development.persistSession(Input.of(fields(bare + ",\"cacheStrategy\":\"CRITICAL_ONLY\"}"),
                InputLimits.DEFAULTS));
        var interaction = development.persistInteraction(Input.of(fields(
                "{\"sessionId\":\"s-1\",\"role\":\"user\",\"request\":\"hi\"}"), InputLimits.DEFAULTS));

        assertThat(unnamed.cacheStrategy()).isEqualTo(SessionCacheStrategy.FULL_SESSION);
        assertThat(named.cacheStrategy()).isEqualTo(SessionCacheStrategy.CRITICAL_ONLY);
        assertThat(interaction.cacheStrategy()).isEqualTo(InteractionCacheStrategy.WITH_CONTEXT);
    }

    @Test
    void anUpdateMayRemoveAContextKeyWithNull() {
        var command = requests.updateSession(Input.of(fields(
                "{\"sessionId\":\"s-1\",\"context\":{\"gone\":null,\"kept\":1}}"), InputLimits.DEFAULTS), null);

        assertThat(command.context()).containsEntry("gone", null).containsEntry("kept", 1);
    }

    @Test
    void theJsonApisPathIdMustAgreeWithTheBody() {
        Input input = Input.of(fields("{\"sessionId\":\"s-2\",\"status\":\"idle\"}"), InputLimits.DEFAULTS);

        assertThatThrownBy(() -> requests.updateSession(input, "s-1"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("sessionId");
                    assertThat(e.rule()).contains("must equal the session id in the path");
                });
    }

    @Test
    void limitsComeFromConfiguration() {
        InputLimits small = new InputLimits(2, 64, 8, 10);
        Input input = Input.of(fields("{\"sessionId\":\"s-1\",\"userId\":\"u\",\"context\":{\"a\":{\"b\":{}}}}"), small);

        assertThatThrownBy(() -> requests.persistSession(input))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.rule()).contains("deeper than 2"));
    }

    private static Map<String, Object> fields(String json) {
        return StrictJson.readObject(json.getBytes(StandardCharsets.UTF_8));
    }

    private Object parse(String operation, Input input) {
        return switch (operation) {
            case "persist_session" -> requests.persistSession(input);
            case "update_session" -> requests.updateSession(input, null);
            case "persist_interaction" -> requests.persistInteraction(input);
            case "persist_evaluation" -> requests.persistEvaluation(input);
            default -> throw new IllegalArgumentException(operation);
        };
    }
}
