package dev.mtp.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module and package rules of docs/decisions/0018, over the main classes of every production module. None has
 * exceptions: code that breaks a rule is changed, not exempted.
 */
@AnalyzeClasses(packages = "dev.mtp", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Touching files, sockets, servers or the stores: what a pure core must leave to its shell. */
    static final DescribedPredicate<JavaClass> DOING_IO = resideInAnyPackage(
            "java.nio.file..", "java.nio.channels..", "java.net.http..",
            "org.apache.kafka.clients..", "org.apache.kafka.streams..", "io.lettuce..", "com.mongodb..",
            "org.rocksdb..", "org.eclipse.jetty..", "jakarta.servlet..", "io.modelcontextprotocol..")
            .or(nameMatching("java\\.io\\.(File|RandomAccessFile).*"))
            .or(nameMatching("java\\.net\\.(.*Socket.*|URL.*|.*Connection|.*Address|Proxy.*)"))
            .as("do I/O (files, sockets, HTTP, Kafka clients, store drivers, servers)");

    @ArchTest
    static final ArchRule no_app_depends_on_another_app = slices().assignedFrom(Modules.APP_MODULES)
            .should().notDependOnEachOther()
            .because("each app is deployed, configured and released on its own: what two apps share is a library "
                    + "module, so changing one app cannot break another and no app ships another's dependencies");

    @ArchTest
    static final ArchRule no_package_cycles = slices().matching("dev.mtp.(**)").should().beFreeOfCycles()
            .because("packages show the stages of the code; a cycle means two stages cannot be read, tested or "
                    + "moved apart");

    @ArchTest
    static final ArchRule common_does_no_io = noClasses().that().resideInAPackage("dev.mtp.common..")
            .should().dependOnClassesThat(DOING_IO)
            .because("common is the event contract, the rules and the settings every module shares; kept pure, it "
                    + "is tested without servers and brings no client to the modules that use it");

    @ArchTest
    static final ArchRule application_services_touch_no_transport_or_json = noClasses()
            .that().resideInAPackage("dev.mtp.ingest.application..")
            .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "jakarta.servlet..",
                    "io.modelcontextprotocol..", "com.fasterxml.jackson..")
            .because("the ingest's use cases are the same whether a request came over MCP or plain HTTP, and "
                    + "whatever parsed its JSON: the edges translate, the services decide");
}
