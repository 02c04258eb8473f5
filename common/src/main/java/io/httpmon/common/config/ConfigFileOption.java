package io.httpmon.common.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code -c CONFIG} for a service run on its own: the same file as the monitor's, of which each service reads its
 * sections. What wins where both say something: see {@link Precedence}.
 */
public final class ConfigFileOption {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "CONFIG",
            defaultValue = "${env:HTTPMON_CONFIG}",
            description = "Config file in the original INI format (env HTTPMON_CONFIG); options given here win.")
    Path config;

    /** The file's settings, or {@link FileConfig#NONE} without a file. */
    public FileConfig load() {
        return config == null ? FileConfig.NONE : FileConfig.read(config);
    }

    /**
     * The file's settings, its [Logging] section applied (a service's start; a service reads its file once).
     *
     * @param service the service's name, for {@code {service}} in {@code log_to_file}
     */
    public FileConfig loadForService(String service) {
        FileConfig file = load();
        LoggingSetup.apply(file, service);
        return file;
    }
}
