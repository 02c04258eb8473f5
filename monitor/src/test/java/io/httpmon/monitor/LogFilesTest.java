package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {

    @TempDir
    Path dir;

    @Test
    void aGlobMatchesTheFilesThereNowInNameOrderAndAFileGivenTwiceIsOneSource() throws Exception {
        Files.writeString(dir.resolve("b.access.log"), "");
        Files.writeString(dir.resolve("a.access.log"), "");
        Files.writeString(dir.resolve("error.log"), "");
        Files.createDirectory(dir.resolve("old.access.log")); // a directory is not a log
        LogFiles files = new LogFiles(List.of(
                dir.resolve("*.access.log").toString(),
                dir.resolve("a.access.log").toString()));
        assertEquals(List.of(dir.resolve("a.access.log"), dir.resolve("b.access.log")), files.expand());

        Files.writeString(dir.resolve("c.access.log"), ""); // a server added later: the next look finds it
        assertEquals(3, files.expand().size());
        assertTrue(files.hasGlob());
    }

    @Test
    void wildcardsOutsideTheFileNameAreRefusedWithTheReason() {
        LogFiles files =
                new LogFiles(List.of(dir.resolve("*").resolve("access.log").toString()));
        UsageException e = assertThrows(UsageException.class, files::expand);
        assertTrue(e.getMessage().contains("wildcards only in the file name"), e.getMessage());
    }

    @Test
    void plainPathsAreKeptAsGivenEvenBeforeTheyExist() {
        LogFiles files = new LogFiles(List.of("/var/log/web1/access.log", "/var/log/web2/access.log"));
        assertEquals(List.of(Path.of("/var/log/web1/access.log"), Path.of("/var/log/web2/access.log")), files.expand());
        assertEquals("/var/log/web1/access.log, /var/log/web2/access.log", files.describe());
    }
}
