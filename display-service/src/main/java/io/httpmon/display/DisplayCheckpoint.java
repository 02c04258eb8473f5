package io.httpmon.display;

import io.httpmon.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Where a display stopped: the next offset of every partition it reads, and the output file's length at that
 * point. Saved (atomically, by rename) after each batch is flushed; on restart the file is cut back to that length
 * and reading resumes at those offsets, so a line is never written twice nor skipped.
 *
 * @param offsets next offset per "topic-partition"
 * @param outputLength the output file's length, or -1 for outputs without one
 */
public record DisplayCheckpoint(Map<String, Long> offsets, long outputLength) {

    static DisplayCheckpoint load(Path file) throws IOException {
        try {
            return Json.MAPPER.readValue(Files.readAllBytes(file), DisplayCheckpoint.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, Json.MAPPER.writeValueAsBytes(this));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
