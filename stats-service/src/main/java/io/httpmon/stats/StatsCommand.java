package io.httpmon.stats;

import io.httpmon.common.Cli;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.config.ConfigFileOption;
import io.httpmon.common.config.FileConfig;
import io.httpmon.common.config.IntSettings;
import io.httpmon.common.ops.HttpOption;
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
public final class StatsCommand implements Callable<Integer> {

    @Option(
            names = "--interval",
            paramLabel = "SECONDS",
            description = "Window length in seconds; 0 or less: no statistics. Default: 10.")
    Integer interval;

    @Option(
            names = "--grace",
            paramLabel = "SECONDS",
            description = "Wait this long (event time) for out-of-order requests. Default: 2.")
    Integer grace;

    @Option(
            names = "--max-lateness",
            paramLabel = "SECONDS",
            description = {
                "A request up to this long after its window's end (event time) still counts in it: the "
                        + "window is published again, revised. Later ones are counted as late. Not more than --grace: no "
                        + "revisions. Default: 300."
            })
    Integer maxLateness;

    @Option(
            names = "--top",
            paramLabel = "N",
            description = "Length of the top sections, resources and users lists. Default: 10.")
    Integer top;

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

    public static void main(String[] args) {
        Cli.exit(Cli.run(new StatsCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        FileConfig file = configFile.loadForService();
        kafka.apply(file);
        Map<String, String> env = System.getenv();
        interval = IntSettings.INTERVAL.resolve(interval, env, file.interval());
        top = IntSettings.TOP.resolve(top, env, file.top());
        grace = IntSettings.GRACE.resolve(grace, env, file.grace());
        maxLateness = IntSettings.MAX_LATENESS.resolve(maxLateness, env, file.maxLateness());
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
                                    Duration.ofSeconds(maxLateness)),
                            stateDir != null ? stateDir : defaultStateDir())
                    .run(stop);
        }
        return Cli.EXIT_OK;
    }

    static Path defaultStateDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "httpmon-streams-" + System.getProperty("user.name"));
    }
}
