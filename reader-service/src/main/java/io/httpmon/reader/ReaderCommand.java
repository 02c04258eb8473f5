package io.httpmon.reader;

import io.httpmon.common.Cli;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.ConfigFileOption;
import io.httpmon.common.ops.HttpOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code httpmon reader}: wiring of {@link ReaderService} to the command line. */
@Command(
        name = "reader",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {
            "Follows an access log like tail -F and publishes each line to <prefix>raw-lines, exactly once.",
            "Its position is kept in Kafka: a restart continues where the last committed line ends."
        })
public final class ReaderCommand implements Callable<Integer> {

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            defaultValue = "${env:HTTPMON_LOG_FILE:-/var/log/access.log}",
            description = "Access log to follow (env HTTPMON_LOG_FILE). Default: ${DEFAULT-VALUE}.")
    Path file;

    @Option(
            names = "--from-beginning",
            description = "Start at the file's first line instead of its end (when no position is saved).")
    boolean fromBeginning;

    @Option(
            names = "--once",
            description = "Read the file from its beginning to its current end, mark the end of " + "input, and exit.")
    boolean once;

    @Option(
            names = {"--source-id", "--reader-id"},
            paramLabel = "ID",
            description = "This reader as a source: names its saved position, and its time and end of input "
                    + "downstream (one per web-server log; give each server's reader its own when their logs have "
                    + "the same path). Default: the file's absolute path.")
    String readerId;

    @Option(
            names = "--poll-interval-ms",
            paramLabel = "MS",
            defaultValue = "100",
            description = "Pause when the file has nothing new. Default: ${DEFAULT-VALUE}.")
    long pollIntervalMs;

    @Option(
            names = "--max-line-bytes",
            paramLabel = "BYTES",
            defaultValue = "" + ReaderSettings.DEFAULT_MAX_LINE_BYTES,
            description =
                    "Longer lines are cut to this length and dead-lettered by the parser. Default: ${DEFAULT-VALUE}.")
    int maxLineBytes;

    @Mixin
    ConfigFileOption configFile;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    HttpOption http;

    public static void main(String[] args) {
        Cli.exit(Cli.run(new ReaderCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        kafka.apply(configFile.loadForService("reader"));
        if (pollIntervalMs < 1) {
            throw new UsageException("--poll-interval-ms must be at least 1, got " + pollIntervalMs);
        }
        if (maxLineBytes < 1024 || maxLineBytes > 900 * 1024) {
            throw new UsageException("--max-line-bytes must be between 1024 and 921600, got " + maxLineBytes);
        }
        if (once && !java.nio.file.Files.isRegularFile(file)) {
            throw new UsageException("--once needs an existing file: " + file + " is not one");
        }
        kafka.clientProperties();
        ReaderSettings settings = new ReaderSettings(
                file,
                readerId != null ? readerId : ReaderSettings.defaultReaderId(file),
                fromBeginning ? FileFollower.Start.BEGINNING : FileFollower.Start.END,
                once,
                Duration.ofMillis(pollIntervalMs),
                maxLineBytes,
                ReaderSettings.DEFAULT_MAX_BATCH_BYTES);
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        try (AutoCloseable ops = http.serve("reader")) {
            new ReaderService(settings, kafka).run(stop);
        }
        return Cli.EXIT_OK;
    }
}
