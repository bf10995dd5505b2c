package dev.mtp.testkit;

import org.junit.jupiter.api.Test;

/** With {@link OncePerJvmOneIT}: two test classes, one set of servers (random ports would differ otherwise). */
@RealServers
class OncePerJvmTwoIT {

    @Test
    void seesTheSameServersAsEveryOtherClass(TestNamespace ns) {
        FirstSeenServers.assertSameAsFirst(ns);
    }
}
