package dev.mtp.cachestore;

import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Lua guard every script uses ({@code decide} in prelude.lua) and {@link VersionVector#decide} on one table of
 * cases ({@link GuardCases}), the Lua on a real redis-server: the writers' Java judges (the reconciler's) and the
 * server-side guard must never disagree.
 */
@RealServers
class GuardParityIT {

    /** The prelude, and a body that answers decide's code for ARGV (stored '' = nothing stored). */
    private static final String DECIDE = prelude() + """

            local stored = ARGV[2]
            if stored == '' then stored = nil end
            return decide(ARGV[1], stored, ARGV[3])
            """;

    @Test
    void theLuaGuardDecidesEveryCaseAsVersionVectorDoes(TestNamespace ns) {
        var redis = ns.redis().sync();
        for (GuardCases c : GuardCases.ALL) {
            long code = redis.<Long>eval(DECIDE, ScriptOutputType.INTEGER, new String[0], c.incoming(),
                    c.stored() == null ? "" : c.stored(), c.others().name().toLowerCase());

            assertThat(decision(code)).as("Lua: " + c).isEqualTo(c.expected()).isEqualTo(c.javaDecision());
            assertThat(code == 2).as("Lua crosses: " + c).isEqualTo(c.crosses()).isEqualTo(c.javaCrosses());
        }
    }

    @Test
    void theLuaGuardRefusesAnUnknownPolicy(TestNamespace ns) {
        assertThatThrownBy(() -> ns.redis().sync().eval(DECIDE, ScriptOutputType.INTEGER, new String[0],
                "1.AAAAAAAA", "0.AAAAAAAA", "overwrite"))
                .hasMessageContaining("others must be supersede or keep");
    }

    private static Decision decision(long code) {
        return switch ((int) code) {
            case 1, 2 -> Decision.APPLY;
            case 0 -> Decision.DUPLICATE;
            case -1 -> Decision.STALE;
            case -2 -> Decision.OTHER_INCARNATION;
            default -> throw new AssertionError("unexpected guard answer " + code);
        };
    }

    private static String prelude() {
        try (InputStream in = Script.class.getResourceAsStream("prelude.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
