package io.httpmon.stats;

import io.httpmon.common.Cli;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.config.ConfigFileOption;
import io.httpmon.common.config.FileConfig;
import io.httpmon.common.config.IntSettingOptions;
import io.httpmon.common.config.IntSettings;
import io.httpmon.common.ops.HttpOption;
import io.httpmon.streams.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code httpmon stats}: the command line of {@link StatsService}. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description =
                "Kafka Streams service: traffic statistics for every INTERVAL seconds of event time, exactly once.")
public final class StatsCommand implements Callable<Integer>, IntSettingOptions.Taking {

    private final IntSettingOptions settings = new IntSettingOptions(
            IntSettings.INTERVAL,
            IntSettings.GRACE,
            IntSettings.MAX_LATENESS,
            IntSettings.TOP,
            IntSettings.SOURCE_IDLE);

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where Kafka Streams keeps local state. Default: a directory under java.io.tmpdir.")
    Path stateDir;

    @Mixin
    ConfigFileOption configFile;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    HttpOption http;

    @Override
    public IntSettingOptions settings() {
        return settings;
    }

    public static void main(String[] args) {
        Cli.exit(Cli.run(new StatsCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        StateStores.validate();
        FileConfig file = configFile.loadForService("stats");
        kafka.apply(file);
        Map<String, String> env = System.getenv();
        int interval = settings.resolve(IntSettings.INTERVAL, env, file.interval());
        int top = settings.resolve(IntSettings.TOP, env, file.top());
        int grace = settings.resolve(IntSettings.GRACE, env, file.grace());
        int maxLateness = settings.resolve(IntSettings.MAX_LATENESS, env, file.maxLateness());
        int sourceIdle = settings.resolve(IntSettings.SOURCE_IDLE, env, file.sourceIdle());
        kafka.clientProperties();
        if (interval <= 0) {
            System.err.println("stats: interval " + interval + ": no statistics, as configured");
            return Cli.EXIT_OK;
        }
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        try (AutoCloseable ops = http.serve("stats")) {
            new StatsService(
                            kafka,
                            new StatsSettings(
                                            interval,
                                            Duration.ofSeconds(grace),
                                            top,
                                            Duration.ofSeconds(1),
                                            Duration.ofSeconds(maxLateness),
                                            Duration.ofSeconds(sourceIdle))
                                    .withMonitors(file.monitors()),
                            stateDir != null ? stateDir : defaultStateDir())
                    .run(stop);
        }
        return Cli.EXIT_OK;
    }

    static Path defaultStateDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "httpmon-streams-" + System.getProperty("user.name"));
    }
}
