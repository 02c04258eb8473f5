package io.httpmon.parser;

import io.httpmon.common.Cli;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.config.ConfigFileOption;
import io.httpmon.common.config.FileConfig;
import io.httpmon.common.config.IntSettingOptions;
import io.httpmon.common.config.IntSettings;
import io.httpmon.common.ops.HttpOption;
import io.httpmon.parser.format.FormatSetting;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code httpmon parser}: wiring of {@link ParserService} to the command line. */
@Command(
        name = "parser",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {
            "Parses raw access-log lines into requests (and dead letters), exactly once.",
            "Run several instances to share the work: they form one consumer group."
        })
public final class ParserCommand implements Callable<Integer>, IntSettingOptions.Taking {

    @Option(
            names = "--instance-id",
            paramLabel = "ID",
            defaultValue = "${env:HTTPMON_INSTANCE_ID}",
            description = {
                "Stable name of this instance (env HTTPMON_INSTANCE_ID), e.g. a pod name. An instance "
                        + "restarted under the same id aborts its predecessor's open transaction at once;",
                "without one a random id is used and a crashed instance's open transaction is aborted after "
                        + "transaction.timeout.ms (10 s)."
            })
    String instanceId;

    private final IntSettingOptions settings = new IntSettingOptions(IntSettings.MAX_FUTURE);

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            defaultValue = "${env:HTTPMON_LOG_FORMAT}",
            description = {
                "The access log's format (env HTTPMON_LOG_FORMAT; else [Log] format; else auto): a preset "
                        + "(combined, common, vhost_combined, caddy, traefik, awsalb, awselb, cloudfront, w3c, haproxy, "
                        + "nginx-json), auto, or the server's own nginx log_format or Apache LogFormat string."
            })
    String logFormat;

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
        Cli.exit(Cli.run(new ParserCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        FileConfig file = configFile.loadForService("parser");
        kafka.apply(file);
        int maxFuture = settings.resolve(IntSettings.MAX_FUTURE, System.getenv(), file.maxFuture());
        FormatSetting format = FormatSetting.resolve(logFormat, null, file.log());
        kafka.clientProperties();
        String id =
                instanceId == null || instanceId.isBlank() ? UUID.randomUUID().toString() : instanceId;
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        try (AutoCloseable ops = http.serve("parser")) {
            new ParserService(kafka, id, Duration.ofSeconds(maxFuture), format.spec(), format.clients()).run(stop);
        }
        return Cli.EXIT_OK;
    }
}
