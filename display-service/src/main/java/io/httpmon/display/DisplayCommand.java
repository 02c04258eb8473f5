package io.httpmon.display;

import io.httpmon.common.Cli;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.UsageException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import io.httpmon.common.config.ConfigFileOption;
import io.httpmon.common.config.FileConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code httpmon display}: wiring of {@link DisplayService} to the command line. */
@Command(name = "display", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Writes traffic statistics and alerts to stdout, the log, or a file.")
public final class DisplayCommand implements Callable<Integer> {

    /** The original config's [Output] displayer values. */
    public enum Displayer { stdout, log, file }

    @Option(names = "--output", paramLabel = "stdout|log|file", defaultValue = "stdout",
            description = "Where to write. Default: ${DEFAULT-VALUE}.")
    Displayer output;

    @Option(names = "--file", paramLabel = "FILE", description = "The file for --output file (appended to).")
    Path file;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "text: alerts as the original's message lines; json: alerts as JSON records. "
                    + "Stats are JSON lines either way. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--from-beginning", description = "Without a saved position, show what the topics already "
            + "hold (default: only what comes from now on).")
    boolean fromBeginning;

    @Option(names = "--once", description = "Exit after the end-of-input marker of a replay (reader --once).")
    boolean once;

    @Option(names = "--state-file", paramLabel = "FILE", description = "Where to keep the position, so a restart "
            + "continues where this run stopped. Default for --output file: FILE.offsets; else none.")
    Path stateFile;

    @Mixin
    ConfigFileOption configFile;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    public static void main(String[] args) {
        Cli.exit(Cli.run(new DisplayCommand(), args));
    }

    @Override
    public Integer call() {
        FileConfig config = configFile.load();
        kafka.apply(config);
        if (config.displayer() != null) {
            output = ConfigFileOption.pick(spec, "--output", output, Displayer.valueOf(config.displayer().name()));
        }
        file = ConfigFileOption.pick(spec, "--file", file, config.outputFile());
        if (config.format() != null) {
            format = ConfigFileOption.pick(spec, "--format", format, config.format().name());
        }
        OutputFormatter.Format fmt = switch (format) {
            case "text" -> OutputFormatter.Format.TEXT;
            case "json" -> OutputFormatter.Format.JSON;
            default -> throw new UsageException("--format " + format + ": expected text or json");
        };
        if (output == Displayer.file && file == null) {
            throw new UsageException("--output file needs --file FILE");
        }
        kafka.clientProperties();
        Path checkpoint = stateFile != null ? stateFile
                : output == Displayer.file ? file.resolveSibling(file.getFileName() + ".offsets") : null;
        DisplayService service = new DisplayService(kafka, new DisplayService.Settings(fmt, fromBeginning, once,
                checkpoint));
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        service.run(opener(output, file), stop);
        return Cli.EXIT_OK;
    }

    static DisplayService.OutputOpener opener(Displayer output, Path file) {
        return switch (output) {
            case stdout -> length -> Output.stdout(System.out);
            case log -> length -> Output.log();
            case file -> length -> Output.file(file, length);
        };
    }
}
