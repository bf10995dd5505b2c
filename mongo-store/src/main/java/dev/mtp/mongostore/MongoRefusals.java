package dev.mtp.mongostore;

import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import dev.mtp.runtime.startup.ClientRefusals;

import java.util.Optional;

/** What the MongoDB driver's exceptions say about the server: wrong credentials. */
public final class MongoRefusals implements ClientRefusals {

    @Override
    public Optional<String> server(Throwable t) {
        return t instanceof MongoException ? Optional.of("mongodb") : Optional.empty();
    }

    @Override
    public Optional<String> reason(Throwable t) {
        return t instanceof MongoSecurityException
                ? Optional.of("mongodb refused the connection: authentication failed (" + t.getMessage() + ")")
                : Optional.empty();
    }
}
