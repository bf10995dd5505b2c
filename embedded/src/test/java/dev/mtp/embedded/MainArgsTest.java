package dev.mtp.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class MainArgsTest {

    private static final MainArgs.Option DIR = new MainArgs.Option("data-dir", "MTP_TEST_UNSET_DIR", "data", "dir");
    private static final MainArgs.Option PORT = new MainArgs.Option("port", "MTP_TEST_UNSET_PORT", "9092", "port");

    @Test
    void commandLineWinsOverDefault() {
        MainArgs args = MainArgs.parse("p", new String[] {"--port", "19092"}, List.of(DIR, PORT));
        assertThat(args.port(PORT)).isEqualTo(19092);
        assertThat(args.path(DIR)).isEqualTo(Path.of("data"));
    }

    @Test
    void optionWithoutDefaultIsSetOnlyWhenGiven() {
        MainArgs.Option controllerPort = new MainArgs.Option("controller-port", "MTP_TEST_UNSET_CP", null, "port");
        assertThat(MainArgs.parse("p", new String[0], List.of(controllerPort)).isSet(controllerPort)).isFalse();
        MainArgs given = MainArgs.parse("p", new String[] {"--controller-port", "9093"}, List.of(controllerPort));
        assertThat(given.isSet(controllerPort)).isTrue();
        assertThat(given.port(controllerPort)).isEqualTo(9093);
    }

    @Test
    void unknownOptionIsRefusedWithTheList() {
        assertThatThrownBy(() -> MainArgs.parse("p", new String[] {"--prot", "1"}, List.of(DIR, PORT)))
                .hasMessageStartingWith("unknown option --prot")
                .hasMessageContaining("--data-dir").hasMessageContaining("MTP_TEST_UNSET_PORT");
    }

    @Test
    void optionWithoutValueIsRefused() {
        assertThatThrownBy(() -> MainArgs.parse("p", new String[] {"--port"}, List.of(DIR, PORT)))
                .hasMessageStartingWith("no value for --port");
    }

    @Test
    void portOutOfRangeIsRefused() {
        MainArgs args = MainArgs.parse("p", new String[] {"--port", "70000"}, List.of(DIR, PORT));
        assertThatThrownBy(() -> args.port(PORT)).hasMessageStartingWith("--port (MTP_TEST_UNSET_PORT) must be a port");
    }
}
