package io.httpmon.reader;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the reader does, independent of how it was configured.
 *
 * @param file the access log to follow
 * @param readerId names this reader's position and transactions; one reader per id at a time
 * @param start where to begin when no position was saved for {@code readerId}
 * @param once read to the end of the file, send the end-of-input marker, and stop
 * @param pollInterval how long to sleep when the file has nothing new
 * @param maxLineBytes lines longer than this are cut (and marked) so they fit a Kafka record
 * @param maxBatchBytes bytes read per transaction at most
 */
public record ReaderSettings(
        Path file,
        String readerId,
        FileFollower.Start start,
        boolean once,
        Duration pollInterval,
        int maxLineBytes,
        int maxBatchBytes) {

    public static final int DEFAULT_MAX_LINE_BYTES = 512 * 1024;
    public static final int DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024;

    /** The default reader id: the file's absolute, normalised path. */
    public static String defaultReaderId(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }
}
