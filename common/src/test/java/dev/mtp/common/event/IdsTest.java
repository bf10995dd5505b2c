package dev.mtp.common.event;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {

    @Test
    void theHandWrittenCheckIsTheRegexRule() {
        List<String> samples = List.of("session-123", "int-789", "a", "A.b_c:d-9", "x".repeat(128), "x".repeat(129), "",
                "has space", "br{ace", "br}ace", "$dollar", "ünïcode", "tab\\t", "new\nline", "slash/", "plus+");
        for (String id : samples) {
            assertThat(Ids.isValid(id)).as(id).isEqualTo(Ids.pattern().matcher(id).matches());
        }
        assertThat(Ids.isValid(null)).isFalse();
    }
}
