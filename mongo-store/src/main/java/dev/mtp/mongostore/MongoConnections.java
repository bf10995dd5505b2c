package dev.mtp.mongostore;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.ops.HealthCheck;
import org.bson.Document;

import java.util.concurrent.TimeUnit;

/**
 * Opens the app's MongoDB client from {@code mongodb.uri}, waits until the server answers {@code ping}
 * (not {@code hello}, which the stand-in lacks) and registers that as a readiness check.
 */
public final class MongoConnections {
    private MongoConnections() {}

    public static MongoDatabase open(AppContext ctx) throws InterruptedException {
        ConnectionString uri = ctx.convert(CommonConfigKeys.MONGODB_URI, value -> new ConnectionString(value.toString()));
        MongoClientSettings settings = MongoSettings.builder(ctx.config(), uri)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(2, TimeUnit.SECONDS))
                .build();
        MongoClient client = ctx.open("mongodb-client", MongoClients.create(settings));
        MongoDatabase database = client.getDatabase(ctx.get(CommonConfigKeys.MONGODB_DATABASE));
        HealthCheck ping = HealthCheck.of("mongodb", () -> database.runCommand(new Document("ping", 1)).toJson());
        ctx.awaitHealthy(ping);
        ctx.addHealthCheck(ping);
        return database;
    }
}
