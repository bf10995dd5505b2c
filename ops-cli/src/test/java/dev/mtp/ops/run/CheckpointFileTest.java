package dev.mtp.ops.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointFileTest {

    @TempDir
    Path dir;

    @Test
    void aSavedCheckpointReadsBackAndReplacesTheOldOneWhole() {
        CheckpointFile file = CheckpointFile.beside(dir.resolve("out.csv"));
        assertThat(file.path()).hasFileName("out.csv.checkpoint");
        assertThat(file.load()).isEmpty();
        Checkpoint first = new Checkpoint("job", Map.of(0, 5L, 1, 7L), Map.of(0, 10L, 1, 7L), Map.of("records", 12L),
                false, Instant.parse("2026-12-07T00:00:00Z"));
        file.save(first);
        file.save(new Checkpoint("job", Map.of(0, 10L, 1, 7L), first.end(), Map.of("records", 17L), true,
                Instant.parse("2026-12-07T00:01:00Z")));
        Checkpoint read = file.load().orElseThrow();
        assertThat(read.next()).containsEntry(0, 10L);
        assertThat(read.remaining()).isZero();
        assertThat(read.counter("records")).isEqualTo(17);
        assertThat(read.complete()).isTrue();
        assertThat(dir.resolve("out.csv.checkpoint.tmp")).doesNotExist();
        assertThat(first.remaining()).isEqualTo(5);
    }

    @Test
    void anUnreadableCheckpointSaysWhatToDo() throws Exception {
        Files.writeString(dir.resolve("x.jsonl.checkpoint"), "{not json");
        assertThatThrownBy(() -> CheckpointFile.beside(dir.resolve("x.jsonl")).load())
                .hasMessageContaining("cannot be read").hasMessageContaining("--restart");
    }
}
