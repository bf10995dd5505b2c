package dev.mtp.ops.kafka;

import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConsumerGroups;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.event.TopicRole;

import dev.mtp.reconciler.shadow.ShadowStore;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The apps that consume the pipeline's topics: their names on the command line, groups and input topics. */
public enum PipelineApp {
    CACHE_WRITER("cache-writer", List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS)),
    MONGO_WRITER("mongo-writer", List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS, TopicRole.EVALUATIONS)),
    /** Kafka Streams: its group is its application id. */
    RECONCILER("reconciler", List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS));

    private final String cliName;
    private final List<TopicRole> inputs;

    PipelineApp(String cliName, List<TopicRole> inputs) {
        this.cliName = cliName;
        this.inputs = inputs;
    }

    public String cliName() {
        return cliName;
    }

    /** The app's consumer group, derived from the configuration as the app derives it. */
    public String groupId(Config config) {
        return switch (this) {
            case CACHE_WRITER -> ConsumerGroups.cacheWriter(config);
            case MONGO_WRITER -> ConsumerGroups.mongoWriter(config);
            case RECONCILER -> ShadowStore.applicationId(config);
        };
    }

    /** The names of the topics the app consumes. */
    public List<String> inputTopics(PersistenceTopics topics) {
        return inputs.stream().map(role -> name(topics, role)).toList();
    }

    static String name(PersistenceTopics topics, TopicRole role) {
        return switch (role) {
            case SESSIONS -> topics.sessions().name();
            case INTERACTIONS -> topics.interactions().name();
            case EVALUATIONS -> topics.evaluations().name();
            case DEAD_LETTER -> topics.deadLetter().name();
        };
    }

    public static Optional<PipelineApp> byCliName(String name) {
        return Arrays.stream(values()).filter(a -> a.cliName.equals(name)).findFirst();
    }

    /** "cache-writer, mongo-writer, reconciler". */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(PipelineApp::cliName).toList());
    }

    /** The app whose group this is, if any. */
    public static Optional<PipelineApp> ofGroup(String group, Config config) {
        return Arrays.stream(values()).filter(a -> a.groupId(config).equals(group)).findFirst();
    }

    /** Reads {@code --app}: one of the names, anything else a bad argument naming the valid ones. */
    public static final class Converter implements picocli.CommandLine.ITypeConverter<PipelineApp> {
        @Override
        public PipelineApp convert(String value) {
            return byCliName(value).orElseThrow(() -> new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not an app; valid: " + names()));
        }
    }

    /** Completion candidates for {@code --app}. */
    public static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(values()).map(PipelineApp::cliName).iterator();
        }
    }
}
