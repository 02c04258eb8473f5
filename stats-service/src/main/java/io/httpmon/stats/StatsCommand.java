package io.httpmon.stats;

import io.httpmon.common.Cli;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import io.httpmon.common.config.ConfigFileOption;
import io.httpmon.common.config.FileConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code httpmon stats}: the command line of {@link StatsService}. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Kafka Streams service: traffic statistics for every INTERVAL seconds of event time, exactly once.")
public final class StatsCommand implements Callable<Integer> {

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Window length in seconds; 0 or less: no statistics. Default: ${DEFAULT-VALUE}.")
    int interval;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "2",
            description = "Wait this long (event time) for out-of-order requests. Default: ${DEFAULT-VALUE}.")
    int grace;

    @Option(names = "--max-lateness", paramLabel = "SECONDS", defaultValue = "300",
            description = {"A request up to this long after its window's end (event time) still counts in it: the "
                + "window is published again, revised. Later ones are counted as late. Not more than --grace: no "
                + "revisions. Default: ${DEFAULT-VALUE}."})
    int maxLateness;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "Length of the top sections, resources and users lists. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where Kafka Streams keeps local state. Default: a directory under java.io.tmpdir.")
    Path stateDir;

    @Mixin
    ConfigFileOption configFile;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    public static void main(String[] args) {
        Cli.exit(Cli.run(new StatsCommand(), args));
    }

    @Override
    public Integer call() {
        FileConfig file = configFile.load();
        kafka.apply(file);
        interval = ConfigFileOption.pick(spec, "--interval", interval, file.interval());
        top = ConfigFileOption.pick(spec, "--top", top, file.top());
        grace = ConfigFileOption.pick(spec, "--grace", grace, file.grace());
        maxLateness = ConfigFileOption.pick(spec, "--max-lateness", maxLateness, file.maxLateness());
        if (maxLateness < 0 || maxLateness > 86_400) {
            throw new UsageException("--max-lateness must be 0 to 86400 seconds, got " + maxLateness);
        }
        if (grace < 0) {
            throw new UsageException("--grace must not be negative, got " + grace);
        }
        if (top < 1) {
            throw new UsageException("--top must be at least 1, got " + top);
        }
        kafka.clientProperties();
        if (interval <= 0) {
            System.err.println("stats: interval " + interval + ": no statistics, as configured");
            return Cli.EXIT_OK;
        }
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        new StatsService(kafka, new StatsSettings(interval, Duration.ofSeconds(grace), top, Duration.ofSeconds(1),
                Duration.ofSeconds(maxLateness)), stateDir != null ? stateDir : defaultStateDir()).run(stop);
        return Cli.EXIT_OK;
    }

    static Path defaultStateDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "httpmon-streams-" + System.getProperty("user.name"));
    }
}
