package io.httpmon.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where a service's log file goes when several services (or replicas) read one config. */
class LoggingSetupTest {

    @Test
    void eachServiceAndHostGetsItsOwnFileFromOneSetting() {
        Path parser = LoggingSetup.logFile("/var/log/httpmon/{service}-{host}.log", "parser");
        Path stats = LoggingSetup.logFile("/var/log/httpmon/{service}-{host}.log", "stats");
        String name = parser.getFileName().toString();
        assertTrue(name.startsWith("parser-") && name.endsWith(".log"), name);
        assertTrue(!name.contains("{") && !name.contains("/"), "the host's name, file-name safe: " + name);
        assertEquals(
                name.substring("parser-".length()),
                stats.getFileName().toString().substring("stats-".length()),
                "the same host");
        assertEquals(Path.of("/var/log/httpmon"), parser.getParent());
    }

    @Test
    void aPlainNameIsKeptAndNothingMeansNoFile() {
        assertEquals(Path.of("httpmon.log"), LoggingSetup.logFile("httpmon.log", "reader"));
        assertNull(LoggingSetup.logFile("", "reader"));
        assertNull(LoggingSetup.logFile(null, "reader"));
    }
}
