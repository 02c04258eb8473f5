package io.httpmon.display;

import io.httpmon.common.Cli;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.ConfigFileOption;
import io.httpmon.common.config.FileConfig;
import io.httpmon.common.config.OutputSettings;
import io.httpmon.common.config.Precedence;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code httpmon display}: wiring of {@link DisplayService} to the command line. */
@Command(
        name = "display",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Writes traffic statistics and alerts to stdout, the log, or a file.")
public final class DisplayCommand implements Callable<Integer> {

    @Option(names = "--output", paramLabel = "stdout|log|file", description = "Where to write. Default: stdout.")
    OutputSettings.Destination output;

    @Option(names = "--file", paramLabel = "FILE", description = "The file for --output file (appended to).")
    Path file;

    @Option(
            names = "--format",
            paramLabel = "text|json",
            description = "text: alerts as the original's message lines; json: alerts as JSON records. "
                    + "Stats are JSON lines either way. Default: text.")
    OutputSettings.Format format;

    @Option(
            names = "--from-beginning",
            description = "Without a saved position, show what the topics already "
                    + "hold (default: only what comes from now on).")
    boolean fromBeginning;

    @Option(names = "--once", description = "Exit after the end-of-input marker of a replay (reader --once).")
    boolean once;

    @Option(
            names = "--state-file",
            paramLabel = "FILE",
            description = "Where to keep the position, so a restart "
                    + "continues where this run stopped. Default for --output file: FILE.offsets; else none.")
    Path stateFile;

    @Option(
            names = "--http",
            paramLabel = "[ADDR:]PORT",
            defaultValue = "${env:HTTPMON_HTTP}",
            description = "Serve the live dashboard here, with Prometheus metrics at /metrics and readiness at /health "
                    + "(env HTTPMON_HTTP; 127.0.0.1 unless an address is given; 0: any free port).")
    String http;

    @Mixin
    ConfigFileOption configFile;

    @Mixin
    KafkaOptions kafka;

    public static void main(String[] args) {
        Cli.exit(Cli.run(new DisplayCommand(), args));
    }

    @Override
    public Integer call() {
        FileConfig config = configFile.loadForService("display");
        kafka.apply(config);
        OutputSettings out;
        try {
            out = new OutputSettings(
                    Precedence.first(output, config.displayer(), OutputSettings.Destination.stdout),
                    Precedence.first(file, config.outputFile()),
                    Precedence.first(format, config.format(), OutputSettings.Format.text));
        } catch (UsageException e) {
            throw new UsageException("--output file needs --file FILE (or [Output] file_name)");
        }
        kafka.clientProperties();
        Path checkpoint = stateFile != null ? stateFile : out.checkpoint(null);
        DisplayService service = new DisplayService(
                kafka,
                new DisplayService.Settings(out.format(), fromBeginning, once, checkpoint)
                        .withMonitors(config.monitors().stream()
                                .map(io.httpmon.common.config.MonitorSettings::name)
                                .toList()));
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        if (config.alertmanager() != null) {
            // Alerts to Alertmanager too ([Alertmanager] url): on a thread of their own, never in the display's way.
            Thread sender = new Thread(
                    () -> new AlertmanagerSender(kafka, config.alertmanager()).run(stop), "alertmanager-sender");
            sender.setDaemon(true);
            sender.start();
        }
        if (http != null && !http.isBlank()) {
            DashboardFeed feed = new DashboardFeed(kafka);
            DashboardServer dashboard = DashboardServer.start(http, feed, config.dashboard());
            Thread feeder = new Thread(() -> feed.run(stop), "dashboard-feed");
            feeder.setDaemon(true);
            feeder.start();
            System.err.println("display: the dashboard is at " + dashboard.url());
        }
        service.run(Output.opener(out), stop);
        return Cli.EXIT_OK;
    }
}
