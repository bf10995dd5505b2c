package dev.mtp.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link RealServers}. The servers live in the root context's store, so they are started once
 * per JVM and stopped when the test run ends. A {@link TestNamespace} lives in the store of the context that first
 * asked for it and is cleaned up and closed when that context ends. A test method and its {@code @BeforeEach} and
 * {@code @AfterEach} methods share one; each test gets its own, unless the class asked for one in
 * {@code @BeforeAll}: then that class-wide namespace is what every test of the class gets (JUnit stores are looked
 * up through their parents), which is what a class that starts an application once for all its tests needs.
 */
public final class RealServersExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RealServersExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestNamespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return namespace(context);
    }

    /**
     * The namespace of {@code context}, as a parameter of its methods would get it: for another extension that
     * starts something on it, e.g. once per class in its {@code beforeAll}.
     */
    public static TestNamespace namespace(ExtensionContext context) {
        SharedServers servers = context.getRoot().getStore(STORE)
                .getOrComputeIfAbsent(SharedServers.class, key -> SharedServers.fromEnvironment(), SharedServers.class);
        return context.getStore(STORE).getOrComputeIfAbsent(TestNamespace.class,
                key -> new TestNamespace(servers, owner(context)), TestNamespace.class);
    }

    /** {@code Class.method} of a test, or the class alone for a class-wide namespace: for the log. */
    private static String owner(ExtensionContext context) {
        String testClass = context.getTestClass().map(Class::getSimpleName).orElse(context.getDisplayName());
        return testClass + context.getTestMethod().map(method -> "." + method.getName()).orElse("");
    }
}
