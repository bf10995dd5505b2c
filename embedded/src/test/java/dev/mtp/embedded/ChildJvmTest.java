package dev.mtp.embedded;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChildJvmTest {

    /** A thread's line of /proc/PID/task/TID/stat as Linux writes it, the name cut to 15 characters. */
    private static String stat(String name) {
        return "4242 (" + name + ") S 4200 4200 1 0 -1 4194368 1017 0 0 0 1862 95 0 0 20 0 23 0 5301 0 0";
    }

    @Test
    void theJitCompilersAreKnownByTheirFoldedNames() {
        assertThat(ChildJvm.threadName(stat("C1 CompilerThre"))).isEqualTo("CN CompilerThre");
        assertThat(ChildJvm.isJitCompiler(ChildJvm.threadName(stat("C1 CompilerThre")))).isTrue();
        assertThat(ChildJvm.isJitCompiler(ChildJvm.threadName(stat("C2 CompilerThre")))).isTrue();
    }

    @Test
    void theOtherThreadsAreNotTheJit() {
        assertThat(ChildJvm.isJitCompiler(ChildJvm.threadName(stat("GC Thread#1")))).isFalse();
        assertThat(ChildJvm.isJitCompiler(ChildJvm.threadName(stat("ops-http-0")))).isFalse();
        assertThat(ChildJvm.isJitCompiler(ChildJvm.threadName(stat("java")))).isFalse();
    }

    @Test
    void aNameWithParenthesesIsReadWhole() {
        assertThat(ChildJvm.threadName(stat("pool-1 (x) 2"))).isEqualTo("pool-N (x) N");
    }
}
