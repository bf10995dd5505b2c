package dev.mtp.embedded;

/** Logging of the standalone mains, which have no logging configuration of their own on the class path. */
final class StandaloneLogging {

    private static final String CONFIG_PROPERTY = "logback.configurationFile";

    private StandaloneLogging() {
    }

    /** Call before the first logger is created: logback reads its configuration once, at that moment. */
    static void useBundledConfigUnlessSet() {
        if (System.getProperty(CONFIG_PROPERTY) == null) {
            System.setProperty(CONFIG_PROPERTY, "dev/mtp/embedded/logback-standalone.xml");
        }
    }
}
