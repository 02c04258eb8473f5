package io.httpmon.monitor;

import io.httpmon.alert.AlertService;
import io.httpmon.alert.AlertSettings;
import io.httpmon.broker.KafkaBroker;
import io.httpmon.common.Cli;
import io.httpmon.common.ClientConfigs;
import io.httpmon.common.ControlChars;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.Topics;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.config.AlertmanagerSettings;
import io.httpmon.common.config.DashboardSettings;
import io.httpmon.common.config.FileConfig;
import io.httpmon.common.config.IntSettingOptions;
import io.httpmon.common.config.IntSettings;
import io.httpmon.common.config.LoggingSetup;
import io.httpmon.common.config.OutputSettings;
import io.httpmon.common.config.Precedence;
import io.httpmon.display.AlertmanagerSender;
import io.httpmon.display.DashboardFeed;
import io.httpmon.display.DashboardServer;
import io.httpmon.display.DisplayService;
import io.httpmon.display.Output;
import io.httpmon.parser.ParserService;
import io.httpmon.parser.format.FormatSetting;
import io.httpmon.reader.FileFollower;
import io.httpmon.reader.ReaderService;
import io.httpmon.reader.ReaderSettings;
import io.httpmon.stats.StatsService;
import io.httpmon.stats.StatsSettings;
import io.httpmon.streams.StateStores;
import io.httpmon.windowing.Durability;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code httpmon monitor} (the default command): the whole pipeline in one JVM. The embedded broker unless
 * {@code --bootstrap-servers} is given, then reader, parser, stats, alert and display, each its own Kafka client
 * exactly as when run apart. Settings: command line, then environment, then the config file, then defaults.
 */
@Command(
        name = "httpmon",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {
            "Monitors an HTTP access log (nginx, Apache, Caddy, Traefik, HAProxy, IIS/W3C, AWS load "
                    + "balancers, CloudFront, or any nginx/Apache format string): traffic statistics every interval, and alerts.",
            "Runs the embedded Kafka broker and every service in this process."
        },
        footer = {
            "",
            "Environment: HTTPMON_LOG_FILE (-f), HTTPMON_CONFIG (-c), HTTPMON_LOG_FORMAT, "
                    + "HTTPMON_BOOTSTRAP_SERVERS, HTTPMON_TOPIC_PREFIX, HTTPMON_DATA_DIR.",
            "Precedence: command line > environment > config file > defaults. Config reference: "
                    + "config_template.cfg."
        })
public final class MonitorCommand implements Callable<Integer>, IntSettingOptions.Taking {

    private static final Logger log = LoggerFactory.getLogger(MonitorCommand.class);
    /** Exit code of a replay in which no line was a request (as GoAccess's "Nothing valid to process"). */
    static final int EXIT_NOTHING_VALID = 3;

    private final List<ParserService> parserServices = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final Path DEFAULT_LOG_FILE = Path.of("/var/log/access.log");
    static final Path DEFAULT_CONFIG = Path.of("config.cfg");

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Access log to monitor. Repeat it for several (one web server's log each, or rotated "
                    + "archives: -f access.log.2.gz -f access.log.1 -f access.log), or give a glob in quotes "
                    + "('/var/log/nginx/*.access.log', files appearing later are followed too): each file is a "
                    + "source with its own time and end of input. Default: /var/log/access.log.")
    List<String> files;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "CONFIG",
            description = "Config file (the original's INI format). Default: config.cfg if it exists.")
    Path config;

    @Option(
            names = "--once",
            description = "Read the file from its beginning to its current end, print every "
                    + "window and alert it implies, and exit.")
    boolean once;

    @Option(
            names = "--from-beginning",
            description = "Start at the file's first line instead of its end, then keep " + "following it.")
    boolean fromBeginning;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description = "Use this Kafka cluster instead of the embedded broker.")
    String bootstrapServers;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description = "Properties file of Kafka client settings (security.protocol, sasl.*, ssl.*, ...).")
    Path kafkaConfig;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = "Prefix of every topic. Default: httpmon.")
    String topicPrefix;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the topics. Default: 6.")
    Integer partitions;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where the embedded broker, the stream "
                    + "processors and the display keep their data. Default: one directory per monitored file under "
                    + "$XDG_STATE_HOME/httpmon (~/.local/state/httpmon).")
    Path dataDir;

    @Option(
            names = "--broker-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Port of the embedded broker on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
    int brokerPort;

    @Option(
            names = "--http",
            paramLabel = "[ADDR:]PORT",
            defaultValue = "${env:HTTPMON_HTTP}",
            description = "Serve the live dashboard here, with Prometheus metrics at /metrics and readiness at /health "
                    + "(env HTTPMON_HTTP; 127.0.0.1 unless an address is given; 0: any free port).")
    String http;

    @Option(
            names = "--parsers",
            paramLabel = "N",
            defaultValue = "1",
            description = "Parser instances (threads). Default: ${DEFAULT-VALUE}.")
    int parsers;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            description = {
                "The access log's format (env "
                        + "HTTPMON_LOG_FORMAT; else [Log] format; else auto-detected): a preset (combined, common, vhost_combined, "
                        + "caddy, traefik, awsalb, awselb, cloudfront, w3c, haproxy, nginx-json), auto, or the server's own nginx "
                        + "log_format or Apache LogFormat string."
            })
    String logFormat;

    private final IntSettingOptions settings = new IntSettingOptions(
            IntSettings.INTERVAL,
            IntSettings.TOP,
            IntSettings.GRACE,
            IntSettings.MAX_LATENESS,
            IntSettings.MAX_FUTURE,
            IntSettings.SOURCE_IDLE);

    @Override
    public IntSettingOptions settings() {
        return settings;
    }

    @Option(names = "--output", paramLabel = "stdout|log|file", description = "Overrides [Output] displayer.")
    OutputSettings.Destination output;

    @Option(names = "--output-file", paramLabel = "FILE", description = "Overrides [Output] file_name.")
    Path outputFile;

    @Option(names = "--format", paramLabel = "text|json", description = "Overrides [Output] format.")
    OutputSettings.Format format;

    /** Everything the run needs, resolved and checked. */
    record Settings(
            Path file,
            LogFiles files,
            Path configFile,
            int interval,
            int top,
            int grace,
            int maxLateness,
            int maxFuture,
            int sourceIdle,
            List<AlertRule> rules,
            OutputSettings output,
            boolean debug,
            boolean logToStdout,
            Path logToFile,
            String bootstrapServers,
            String topicPrefix,
            int partitions,
            Path kafkaConfig,
            Path dataDir,
            AlertmanagerSettings alertmanager,
            FormatSetting logFormat,
            DashboardSettings dashboard,
            List<io.httpmon.common.config.MonitorSettings> monitors) {

        boolean embedded() {
            return bootstrapServers == null;
        }
    }

    public static void main(String[] args) {
        MonitorCommand command = new MonitorCommand();
        command.mayEndAbruptly = true;
        int code = Cli.run(command, args);
        if (command.leftRunning) {
            endNow(code);
        }
        Cli.exit(code);
    }

    /**
     * Set by {@link #main} only (a test running the command in its own JVM must get its JVM back): a replay's
     * throwaway world may be left running at its end, see {@link #run}.
     */
    private boolean mayEndAbruptly;

    /** Whether {@link #run} left a replay's world running, for {@link #main} to end the JVM by {@link #endNow}. */
    private boolean leftRunning;

    @Override
    public Integer call() throws Exception {
        Settings settings = resolve(System.getenv());
        LoggingSetup.apply(settings.debug(), settings.logToStdout(), settings.logToFile());
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        run(settings, stop);
        return once ? nothingValid(settings) : Cli.EXIT_OK;
    }

    /** Command line, then environment, then the config file, then defaults; checks everything. */
    Settings resolve(Map<String, String> env) {
        Path configFile = Precedence.first(config, Precedence.envPath(env, "HTTPMON_CONFIG"));
        FileConfig fc;
        if (configFile != null) {
            fc = FileConfig.read(configFile);
        } else if (Files.isRegularFile(DEFAULT_CONFIG)) {
            configFile = DEFAULT_CONFIG;
            fc = FileConfig.read(DEFAULT_CONFIG);
        } else {
            fc = FileConfig.NONE;
        }
        LogFiles logFiles = files != null && !files.isEmpty()
                ? new LogFiles(files)
                : new LogFiles(List.of(Precedence.first(Precedence.envPath(env, "HTTPMON_LOG_FILE"), DEFAULT_LOG_FILE)
                        .toString()));
        for (String pattern : logFiles.patterns()) {
            if (LogFiles.isGlob(pattern)) {
                if (once && new LogFiles(List.of(pattern)).expand().isEmpty()) {
                    throw new UsageException("--once: -f " + ControlChars.escape(pattern) + " matches no file");
                }
                continue;
            }
            Path logFile = Path.of(pattern);
            if (once && !Files.isRegularFile(logFile)) {
                throw new UsageException("--once needs an existing file: " + logFile + " is not one");
            }
            if (Files.isDirectory(logFile)) {
                throw new UsageException(logFile + " is a directory; -f wants the access log file");
            }
        }
        Path logFile = Path.of(logFiles.patterns().get(0));
        List<AlertRule> rules = fc.rules() != null ? fc.rules() : List.of(AlertRule.DEFAULT);
        int interval = settings.resolve(IntSettings.INTERVAL, env, fc.interval());
        int top = settings.resolve(IntSettings.TOP, env, fc.top());
        int grace = settings.resolve(IntSettings.GRACE, env, fc.grace());
        int maxLateness = settings.resolve(IntSettings.MAX_LATENESS, env, fc.maxLateness());
        int maxFuture = settings.resolve(IntSettings.MAX_FUTURE, env, fc.maxFuture());
        int sourceIdle = settings.resolve(IntSettings.SOURCE_IDLE, env, fc.sourceIdle());
        if (interval <= 0 && rules.isEmpty()) {
            throw new UsageException((configFile != null ? configFile + ": " : "") + "nothing to show: statistics "
                    + "are off ([Stats] interval <= 0) and [Alerts] has no rule");
        }
        OutputSettings.Destination destination =
                Precedence.first(output, fc.displayer(), OutputSettings.Destination.stdout);
        Path outFile = Precedence.first(outputFile, fc.outputFile());
        if (destination == OutputSettings.Destination.file && outFile == null) {
            throw new UsageException("--output file needs --output-file FILE (or [Output] file_name)");
        }
        if (destination == OutputSettings.Destination.file) {
            UsageException.requireWritable(outFile, "the output file");
        }
        OutputSettings out = new OutputSettings(
                destination, outFile, Precedence.first(format, fc.format(), OutputSettings.Format.text));
        Path logTo = LoggingSetup.logFile(fc.logToFile(), "monitor");
        if (logTo != null) {
            UsageException.requireWritable(logTo, "[Logging] log_to_file");
        }
        String bootstrap = Precedence.first(
                bootstrapServers, Precedence.env(env, "HTTPMON_BOOTSTRAP_SERVERS"), fc.bootstrapServers());
        String prefix = Precedence.first(
                topicPrefix, Precedence.env(env, "HTTPMON_TOPIC_PREFIX"), fc.topicPrefix(), Topics.DEFAULT_PREFIX);
        try {
            FileConfig.prefix(prefix);
        } catch (IllegalArgumentException e) {
            throw new UsageException("topic prefix '" + ControlChars.escape(prefix)
                    + "': use letters, digits, '.', '_' and '-' (at most 200)");
        }
        StateStores.validate();
        int parts = IntSettings.PARTITIONS.resolve(partitions, env, fc.partitions());
        if (parsers < 1 || parsers > 64) {
            throw new UsageException("--parsers must be 1 to 64, got " + parsers);
        }
        if (brokerPort < 0 || brokerPort > 65_535) {
            throw new UsageException("--broker-port must be 0 to 65535, got " + brokerPort);
        }
        Path clientConfig = Precedence.first(kafkaConfig, fc.clientConfig());
        Path data = Precedence.first(
                dataDir, Precedence.envPath(env, "HTTPMON_DATA_DIR"), fc.dataDir(), defaultDataDir(env, logFiles));
        Settings settings = new Settings(
                logFile,
                logFiles,
                configFile,
                interval,
                top,
                grace,
                maxLateness,
                maxFuture,
                sourceIdle,
                rules,
                out,
                Boolean.TRUE.equals(fc.debug()),
                Boolean.TRUE.equals(fc.logToStdout()),
                logTo,
                bootstrap,
                prefix,
                parts,
                clientConfig,
                data,
                fc.alertmanager(),
                FormatSetting.resolve(logFormat, Precedence.env(env, "HTTPMON_LOG_FORMAT"), fc.log()),
                fc.dashboard(),
                fc.monitors());
        kafka(settings, settings.bootstrapServers() == null ? "127.0.0.1:0" : settings.bootstrapServers(), prefix)
                .clientProperties();
        return settings;
    }

    private void run(Settings settings, StopSignal stop) throws Exception {
        long started = System.nanoTime();
        // A replay gets a world of its own: a fresh broker (or fresh topics) and fresh stream state, so it prints
        // exactly what this file implies, whatever ran before.
        Path work = once ? Files.createTempDirectory("httpmon-once-") : settings.dataDir();
        Files.createDirectories(work);
        String prefix = once && !settings.embedded()
                ? settings.topicPrefix() + "once-"
                        + UUID.randomUUID().toString().substring(0, 8) + "."
                : settings.topicPrefix();
        KafkaBroker broker = null;
        DashboardServer dashboard = null;
        try {
            String bootstrap = settings.bootstrapServers();
            if (settings.embedded()) {
                broker = KafkaBroker.start(work.resolve("broker"), "127.0.0.1", brokerPort, Duration.ofSeconds(60));
                bootstrap = broker.bootstrapServers();
            }
            KafkaOptions kafka = kafka(settings, bootstrap, prefix);
            ServiceGroup services = new ServiceGroup(stop);
            if (http != null && !http.isBlank()) {
                DashboardFeed feed = new DashboardFeed(kafka);
                dashboard = DashboardServer.start(http, feed, settings.dashboard());
                services.start("dashboard", feed::run, false);
            }
            startServices(services, settings, kafka, work);
            banner(System.err, settings, bootstrap, work, System.nanoTime() - started);
            if (dashboard != null) {
                System.err.println("  dashboard: " + dashboard.url());
            }
            while (!stop.sleep(Duration.ofSeconds(1))) {
                // running until Ctrl-C, a failure, or (with --once) the display's end
            }
            if (mayLeaveRunning(settings, services, work)) {
                leftRunning = true;
                return;
            }
            if (!services.join(Duration.ofSeconds(40))) {
                throw new IllegalStateException("a service did not stop in time");
            }
            if (services.failure() != null) {
                throw asException(services.failure());
            }
            if (once && !settings.embedded()) {
                deleteTopics(kafka, prefix);
            }
        } finally {
            if (dashboard != null) {
                dashboard.close();
            }
            if (!leftRunning) {
                if (broker != null) {
                    broker.close();
                }
                if (once) {
                    deleteRecursively(work);
                }
            }
        }
    }

    /**
     * Whether a replay that printed everything may end without shutting its world down: its broker, topics and
     * stream state are thrown away, and their orderly end (Streams committing and closing under exactly-once, the
     * broker's controlled shutdown and log flushes, then deleting the directory) took 1.4 s at the end of every
     * replay (docs/performance.md). Only when the display ended normally with nothing else to deliver (no
     * Alertmanager, no dashboard), on an embedded broker, not on a signal, not under a flight recording (its dump
     * is written at an orderly exit), and when a process is there to delete the directory after this one's end
     * (deleting it under a running broker could make it fail its log directory and halt).
     */
    private boolean mayLeaveRunning(Settings settings, ServiceGroup services, Path work) {
        if (!mayEndAbruptly
                || !once
                || !settings.embedded()
                || settings.alertmanager() != null
                || (http != null && !http.isBlank())
                || !services.completed()
                || services.failure() != null
                || Cli.shuttingDown()
                || recording()) {
            return false;
        }
        try {
            // Waits for this process to end, then deletes the directory; its output goes nowhere, so nothing that
            // reads this process's output waits for it.
            new ProcessBuilder(
                            "sh",
                            "-c",
                            "while kill -0 \"$1\" 2>/dev/null; do sleep 0.05; done; exec rm -rf -- \"$2\"",
                            "httpmon-cleanup",
                            Long.toString(ProcessHandle.current().pid()),
                            work.toAbsolutePath().toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return true;
        } catch (IOException e) {
            log.debug("No process to delete {} after the exit ({}): shutting down in order", work, e.getMessage());
            return false;
        }
    }

    private static boolean recording() {
        try {
            return jdk.jfr.FlightRecorder.isInitialized()
                    && !jdk.jfr.FlightRecorder.getFlightRecorder()
                            .getRecordings()
                            .isEmpty();
        } catch (LinkageError e) {
            return false; // a runtime without JFR records nothing
        }
    }

    /**
     * Ends the JVM at once with {@code code}, its output flushed and its logging stopped (a background thread of the
     * world left running has nothing more to say), without the shutdown hooks: the services' are for an orderly
     * stop, and the work directory is deleted by the process {@link #mayLeaveRunning} started.
     */
    private static void endNow(int code) {
        System.out.flush();
        System.err.flush();
        LoggingSetup.stop();
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /**
     * After a replay: when lines were read and none was a request, says so with the first bad line and a hint and
     * returns {@link #EXIT_NOTHING_VALID}; else 0.
     */
    private int nothingValid(Settings settings) {
        long requests =
                parserServices.stream().mapToLong(ParserService::requests).sum();
        long dead =
                parserServices.stream().mapToLong(ParserService::deadLetters).sum();
        if (requests > 0 || dead == 0) {
            return Cli.EXIT_OK;
        }
        String first = parserServices.stream()
                .map(ParserService::firstDeadLetterReport)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .map(line -> "The first: " + line)
                .orElse("Each was turned away for its time: see the warnings above.");
        System.err.println("httpmon: nothing valid to process: none of the " + dead + " lines of "
                + settings.files().describe() + " was a request (log format: "
                + settings.logFormat().choice().describe() + "). " + first);
        System.err.flush();
        return EXIT_NOTHING_VALID;
    }

    private void startServices(ServiceGroup services, Settings settings, KafkaOptions kafka, Path work)
            throws IOException {
        boolean stats = settings.interval() > 0;
        boolean alerts = !settings.rules().isEmpty();
        Duration grace = Duration.ofSeconds(settings.grace());
        // Created here: two Streams apps creating it at once can race (the loser says it could not create it).
        Path streamsState = Files.createDirectories(work.resolve("streams"));
        // A replay's topics, state and broker are thrown away at its end, and it does not survive its process: its
        // stream state needs no changelogs (a task that starts again mid-replay fails it, see Durability).
        Durability durability = once ? Durability.THROWAWAY : Durability.RESTARTABLE;
        if (stats) {
            StatsSettings s = new StatsSettings(
                            settings.interval(),
                            grace,
                            settings.top(),
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(settings.maxLateness()),
                            Duration.ofSeconds(settings.sourceIdle()))
                    .withMonitors(settings.monitors());
            services.start(
                    "stats", stop -> new StatsService(kafka, s, streamsState, !once, durability).run(stop), false);
        }
        if (alerts) {
            AlertSettings a = new AlertSettings(
                    settings.rules(), grace, Duration.ofSeconds(1), Duration.ofSeconds(settings.sourceIdle()));
            services.start("alert", stop -> new AlertService(kafka, a, streamsState, durability).run(stop), false);
        }
        for (int i = 0; i < parsers; i++) {
            ParserService parser = new ParserService(
                    kafka,
                    "monitor-" + i,
                    Duration.ofSeconds(settings.maxFuture()),
                    settings.logFormat().spec(),
                    settings.logFormat().clients());
            parserServices.add(parser);
            services.start("parser-" + i, parser::run, false);
        }
        Path checkpoint = once ? null : settings.output().checkpoint(work);
        // Without a saved position: everything the embedded broker holds (it is this monitor's own), but only
        // what comes from now on from a shared cluster.
        DisplayService display = new DisplayService(
                kafka,
                new DisplayService.Settings(
                                settings.output().format(),
                                once || settings.embedded(),
                                once,
                                checkpoint,
                                stats,
                                alerts)
                        .withMonitors(settings.monitors().stream()
                                .map(io.httpmon.common.config.MonitorSettings::name)
                                .toList()));
        services.start("display", stop -> display.run(Output.opener(settings.output()), stop), true);
        if (alerts && settings.alertmanager() != null) {
            AlertmanagerSender sender = new AlertmanagerSender(kafka, settings.alertmanager());
            services.start("alertmanager", sender::run, false);
        }
        List<Path> logs = settings.files().expand();
        // A replay of several files: every reader says hello before any publishes a line, so the end of a short
        // file cannot end the pipeline's time while a longer one is still being read.
        CountDownLatch allAnnounced = new CountDownLatch(once ? logs.size() : 0);
        Set<Path> following = ConcurrentHashMap.newKeySet();
        for (Path log : logs) {
            startReader(services, kafka, log, allAnnounced, following, false);
        }
        if (!once && settings.files().hasGlob()) {
            services.start(
                    "log-files",
                    stop -> {
                        while (!stop.sleep(GLOB_RESCAN)) {
                            for (Path log : settings.files().expand()) {
                                startReader(services, kafka, log, allAnnounced, following, true);
                            }
                        }
                    },
                    false);
        }
    }

    /** How often a glob given with {@code -f} is looked at again for new files. */
    static final Duration GLOB_RESCAN = Duration.ofSeconds(2);

    /**
     * A reader (a source) for {@code log}, unless one follows it already; a file that appeared {@code later} (a
     * glob's new match) is read from its first line: every line of it is new.
     */
    private void startReader(
            ServiceGroup services,
            KafkaOptions kafka,
            Path log,
            CountDownLatch allAnnounced,
            Set<Path> following,
            boolean later) {
        if (!following.add(log.toAbsolutePath().normalize())) {
            return;
        }
        ReaderSettings reader = new ReaderSettings(
                log,
                ReaderSettings.defaultReaderId(log),
                once || fromBeginning || later ? FileFollower.Start.BEGINNING : FileFollower.Start.END,
                once,
                Duration.ofMillis(100),
                ReaderSettings.DEFAULT_MAX_LINE_BYTES,
                ReaderSettings.DEFAULT_MAX_BATCH_BYTES);
        if (later) {
            System.err.println("httpmon: following " + ControlChars.escape(log.toString()) + " (new file)");
        }
        services.start(
                "reader-" + following.size(), stop -> new ReaderService(reader, kafka, allAnnounced).run(stop), false);
    }

    private static KafkaOptions kafka(Settings settings, String bootstrap, String prefix) {
        return KafkaOptions.of(bootstrap, prefix, settings.partitions(), settings.kafkaConfig());
    }

    private void banner(PrintStream out, Settings s, String bootstrap, Path work, long startNanos) {
        String start = once ? "replaying it once" : fromBeginning ? "from its first line" : "from its end";
        String rules = s.rules().isEmpty()
                ? "none"
                : s.rules().stream()
                        .map(r -> r.kind() == AlertRule.Kind.HIGH_TRAFFIC && r.section() == null
                                ? String.format(
                                        Locale.ROOT,
                                        "%s = %s hits/s over %d s",
                                        r.name(),
                                        number(r.threshold()),
                                        r.windowSeconds())
                                : String.format(
                                        Locale.ROOT,
                                        "%s = %s %s%s over %d s",
                                        r.name(),
                                        r.kind().key(),
                                        r.kind() == AlertRule.Kind.ERROR_RATIO
                                                ? number(r.threshold() * 100) + "%"
                                                : number(r.threshold()) + " hits/s",
                                        r.section() == null ? "" : " on " + r.section(),
                                        r.windowSeconds()))
                        .collect(Collectors.joining("; "));
        out.printf(
                Locale.ROOT,
                "httpmon: monitoring %s, %s (started in %.1f s)%n",
                s.files().describe(),
                start,
                startNanos / 1e9);
        out.println("  config:  " + (s.configFile() == null ? "defaults (no config file)" : s.configFile()));
        out.println("  broker:  "
                + (s.embedded()
                        ? "embedded at " + bootstrap + ", data in " + work
                        : bootstrap + ", topics " + s.topicPrefix() + "*"));
        out.println("  format:  " + s.logFormat().describe());
        out.println("  stats:   " + (s.interval() > 0 ? "every " + s.interval() + " s" : "off"));
        out.println("  alerts:  " + rules);
        out.println("  output:  " + s.output().destination()
                + (s.output().destination() == OutputSettings.Destination.file
                        ? " " + s.output().file()
                        : ""));
        out.flush();
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static void deleteTopics(KafkaOptions kafka, String prefix) {
        try (Admin admin = Admin.create(ClientConfigs.admin(kafka.clientProperties()))) {
            List<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(n -> n.startsWith(prefix))
                    .toList();
            admin.deleteTopics(names).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Could not delete this replay's topics {}*: {}", prefix, e.getMessage());
        }
    }

    static Exception asException(Throwable t) {
        return t instanceof Exception e ? e : new IllegalStateException(t.getMessage(), t);
    }

    /** One directory per monitored file, so monitoring another file never mixes their event times. */
    /** {@link #defaultDataDir(Map, Path)} of the one file, or a directory of its own for a set of files or globs. */
    static Path defaultDataDir(Map<String, String> env, LogFiles files) {
        if (files.patterns().size() == 1 && !files.hasGlob()) {
            return defaultDataDir(env, Path.of(files.patterns().get(0)));
        }
        List<String> absolute = files.patterns().stream()
                .map(p -> Path.of(p).toAbsolutePath().normalize().toString())
                .sorted()
                .toList();
        return defaultDataDir(
                env, Path.of("logs-" + sha(String.join("\n", absolute)).substring(0, 10)));
    }

    static Path defaultDataDir(Map<String, String> env, Path logFile) {
        String xdg = env.get("XDG_STATE_HOME");
        Path state = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        String abs = logFile.toAbsolutePath().normalize().toString();
        String name = logFile.getFileName() == null
                ? "log"
                : logFile.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return state.resolve("httpmon").resolve("monitor").resolve(name + "-" + sha(abs).substring(0, 10));
    }

    private static String sha(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
