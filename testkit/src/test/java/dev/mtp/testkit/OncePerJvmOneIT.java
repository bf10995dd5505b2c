package dev.mtp.testkit;

import org.junit.jupiter.api.Test;

/** With {@link OncePerJvmTwoIT}: two test classes, one set of servers (random ports would differ otherwise). */
@RealServers
class OncePerJvmOneIT {

    @Test
    void seesTheSameServersAsEveryOtherClass(TestNamespace ns) {
        FirstSeenServers.assertSameAsFirst(ns);
    }
}
