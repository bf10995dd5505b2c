package dev.mtp.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which Maven module a class comes from, found from where it was loaded: {@code <module>/target/classes}, or a jar
 * named {@code <module>-<version>.jar} wherever it lies (an app's {@code target/lib} too, which its manifest's
 * class path names). Modules share Java packages, so a package does not tell.
 */
final class Modules {
    private Modules() {}

    private static final Pattern CLASSES_DIR = Pattern.compile(".*/([^/]+)/target/classes/.*");
    private static final Pattern JAR = Pattern.compile(".*/([^/]+?)-\\d[^/]*\\.jar!/.*");

    /**
     * The apps: the modules that declare a main class to run ({@code app.main.class} in their pom), read from the
     * reactor beside this module, so a new app is covered without touching the rules.
     */
    static final Set<String> APPS = appsOf(Path.of("..").toAbsolutePath().normalize());

    /** Each app module is a slice; classes of libraries are in none. */
    static final SliceAssignment APP_MODULES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return moduleOf(javaClass).filter(APPS::contains).map(SliceIdentifier::of)
                    .orElse(SliceIdentifier.ignore());
        }

        @Override
        public String getDescription() {
            return "app modules " + APPS;
        }
    };

    static Optional<String> moduleOf(JavaClass javaClass) {
        return javaClass.getSource().map(source -> source.getUri().toString())
                .flatMap(uri -> Stream.of(CLASSES_DIR.matcher(uri), JAR.matcher(uri)).filter(Matcher::matches)
                        .map(m -> m.group(1)).findFirst());
    }

    private static Set<String> appsOf(Path reactor) {
        try (Stream<Path> modules = Files.list(reactor)) {
            Set<String> apps = modules.filter(dir -> declaresMainClass(dir.resolve("pom.xml")))
                    .map(dir -> dir.getFileName().toString()).collect(Collectors.toUnmodifiableSet());
            if (apps.isEmpty()) {
                throw new IllegalStateException("no module under " + reactor + " declares app.main.class");
            }
            return apps;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean declaresMainClass(Path pom) {
        try {
            return Files.isRegularFile(pom) && Files.readString(pom).contains("<app.main.class>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
