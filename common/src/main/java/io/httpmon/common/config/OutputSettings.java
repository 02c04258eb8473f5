package io.httpmon.common.config;

import io.httpmon.common.UsageException;
import java.nio.file.Path;

/**
 * Where and how the display writes: the original's {@code [Output]} section ({@code displayer}, {@code file_name},
 * {@code format}) or the options that override it.
 *
 * @param destination where the lines go
 * @param file the file, for {@link Destination#file}
 * @param format how alerts are written (stats are JSON lines either way)
 */
public record OutputSettings(Destination destination, Path file, Format format) {

    /** The original's {@code [Output] displayer} values. */
    public enum Destination {
        stdout,
        log,
        file
    }

    /** text: alerts as the original's message lines; json: alerts as JSON records. */
    public enum Format {
        text,
        json
    }

    public OutputSettings {
        if (destination == Destination.file && file == null) {
            throw new UsageException("output to a file needs its name: --output-file FILE or [Output] file_name");
        }
    }

    /**
     * Where the display keeps its position, so a restart continues where it stopped: beside the output file
     * ({@code FILE.offsets}), else {@code display-DESTINATION.offsets} in {@code workDir}; null (nowhere) when there
     * is no output file and no work directory.
     */
    public Path checkpoint(Path workDir) {
        if (destination == Destination.file) {
            return file.resolveSibling(file.getFileName() + ".offsets");
        }
        return workDir == null ? null : workDir.resolve("display-" + destination + ".offsets");
    }
}
