package io.httpmon.alert;

import io.httpmon.common.Cli;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.config.ConfigFileOption;
import io.httpmon.common.config.FileConfig;
import io.httpmon.common.config.IntSettingOptions;
import io.httpmon.common.config.IntSettings;
import io.httpmon.common.ops.HttpOption;
import io.httpmon.streams.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code httpmon alert}: the command line of {@link AlertService}. */
@Command(
        name = "alert",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Kafka Streams service: high-traffic alerts, evaluated every second of event time, exactly once.")
public final class AlertCommand implements Callable<Integer>, IntSettingOptions.Taking {

    @Option(
            names = "--rule",
            paramLabel = "NAME=THRESHOLD,SECONDS",
            description = {
                "An alert rule, as in the config's [Alerts] section: fires when the average hits per "
                        + "second over SECONDS reaches THRESHOLD. Repeat for several rules.",
                "Default: default=10,120."
            })
    List<String> ruleSpecs = new ArrayList<>();

    private final IntSettingOptions settings = new IntSettingOptions(IntSettings.GRACE, IntSettings.SOURCE_IDLE);

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
        Cli.exit(Cli.run(new AlertCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        StateStores.validate();
        FileConfig file = configFile.loadForService("alert");
        kafka.apply(file);
        int grace = settings.resolve(IntSettings.GRACE, System.getenv(), file.grace());
        int sourceIdle = settings.resolve(IntSettings.SOURCE_IDLE, System.getenv(), file.sourceIdle());
        List<AlertRule> rules = new ArrayList<>();
        for (String spec : ruleSpecs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--rule " + spec + ": expected NAME=THRESHOLD,SECONDS, e.g. alert_1=10,120");
            }
            rules.add(AlertRule.parse(spec.substring(0, eq).trim(), spec.substring(eq + 1)));
        }
        if (rules.isEmpty() && file.rules() != null) {
            if (file.rules().isEmpty()) {
                System.err.println("alert: [Alerts] has no rule: no alerts, as configured");
                return Cli.EXIT_OK;
            }
            rules.addAll(file.rules());
        }
        if (rules.isEmpty()) {
            rules.add(AlertRule.DEFAULT);
        }
        AlertSettings alerting = new AlertSettings(
                rules, Duration.ofSeconds(grace), Duration.ofSeconds(1), Duration.ofSeconds(sourceIdle));
        kafka.clientProperties();
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        try (AutoCloseable ops = http.serve("alert")) {
            new AlertService(kafka, alerting, stateDir != null ? stateDir : defaultStateDir()).run(stop);
        }
        return Cli.EXIT_OK;
    }

    static Path defaultStateDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "httpmon-streams-" + System.getProperty("user.name"));
    }
}
