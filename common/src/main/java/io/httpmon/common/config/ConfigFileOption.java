package io.httpmon.common.config;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code -c CONFIG} for a service run on its own: the same file as the monitor's, of which each service reads its
 * sections. An option given on the command line beats the file; the file beats the option's default.
 */
public final class ConfigFileOption {

    @Option(names = {"-c", "--config"}, paramLabel = "CONFIG", defaultValue = "${env:HTTPMON_CONFIG}",
            description = "Config file in the original INI format (env HTTPMON_CONFIG); options given here win.")
    Path config;

    /** The file's settings, or {@link FileConfig#NONE} without a file. */
    public FileConfig load() {
        return config == null ? FileConfig.NONE : FileConfig.read(config);
    }

    /** Whether {@code option} was given on the command line of {@code spec}'s command. */
    public static boolean given(CommandSpec spec, String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The command line's value if given there, else the file's if set, else the option's default. */
    public static <T> T pick(CommandSpec spec, String option, T commandLine, T file) {
        return given(spec, option) || file == null ? commandLine : file;
    }
}
