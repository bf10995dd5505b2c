package dev.mtp.ingest.application.read;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class VersionOrderTest {

    @ParameterizedTest(name = "held {0}, wanted {1}: at or past {2}")
    @CsvSource({
            "v1~s5.AbCdEfGh,                 v1~s5.AbCdEfGh,                 true",
            "v1~s6.AbCdEfGh,                 v1~s5.AbCdEfGh,                 true",
            "v1~s4.AbCdEfGh,                 v1~s5.AbCdEfGh,                 false",
            // component-wise: one behind is behind
            "v1~s9.AbCdEfGh~i2.IjKlMnOp,     v1~s5.AbCdEfGh~i3.IjKlMnOp,     false",
            "v1~s9.AbCdEfGh~i3.IjKlMnOp,     v1~s5.AbCdEfGh~i3.IjKlMnOp,     true",
            // nothing wanted: anything will do
            "v1,                             v1,                             true",
            "v1~s4.AbCdEfGh,                 v1,                             true",
            // another incarnation is not comparable and does not hold the read back
            "v1~s1.IjKlMnOp,                 v1~s5.AbCdEfGh,                 true",
            "v1~s-1.IjKlMnOp,                v1~s5.AbCdEfGh,                 true",
            "v1~s1,                          v1~s5.AbCdEfGh,                 true",
            // none yet in the same incarnation is behind
            "v1~s-1.AbCdEfGh,                v1~s5.AbCdEfGh,                 false",
            // a wanted component the store does not carry proves nothing
            "v1~s9.AbCdEfGh~i9.AbCdEfGh,     v1~e1.AbCdEfGh,                 false",
            "v1,                             v1~s0.AbCdEfGh,                 false",
            // wanting none of an incarnation asks for nothing, whether the store carries the topic or not
            "v1~s0.AbCdEfGh,                 v1~s-1.AbCdEfGh,                true",
            "v1~s3.AbCdEfGh,                 v1~s3.AbCdEfGh~i-1.IjKlMnOp,    true",
            // both written before incarnations were recorded: compared by offset
            "v1~s4,                          v1~s5,                          false",
            "v1~s5,                          v1~s5,                          true"})
    void ordersComponentWiseWithinAnIncarnation(String held, String wanted, boolean atOrPast) {
        assertThat(VersionOrder.atOrPast(EntityVersion.parse(held), EntityVersion.parse(wanted)))
                .isEqualTo(atOrPast);
    }
}
