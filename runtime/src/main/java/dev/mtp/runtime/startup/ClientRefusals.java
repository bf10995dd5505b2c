package dev.mtp.runtime.startup;

import java.util.Optional;

/**
 * What one client library's exceptions say about its server, for {@link ServerRefusal}. Each store module that brings
 * a client declares its own (a {@code META-INF/services} entry), so the runtime knows no store driver and an app
 * gets only the drivers it uses.
 */
public interface ClientRefusals {

    /** The server {@code t} is about, e.g. {@code "redis"}, when this client library raised it. */
    Optional<String> server(Throwable t);

    /** The refusal {@code t} says, e.g. "redis refused the connection: ...", when it says one (TLS aside). */
    Optional<String> reason(Throwable t);
}
