package io.httpmon.monitor;

import io.httpmon.generator.LogGenerator;
import java.io.File;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The docker-compose stack, built from this checkout, with three parser replicas: lines appended to the mounted log
 * come out of the display as statistics. Needs a Docker engine: skipped (with the reason) where there is none;
 * the broker-backed tests cover the same pipeline there.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIT {

    @TempDir
    Path logs;

    @Test
    void stackWithThreeParsersPrintsStatisticsOfTheMountedLog() throws Exception {
        Path log = Files.createFile(logs.resolve("access.log"));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            LogGenerator generator = new LogGenerator(1, false);
            try (Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                while (writing.get()) {
                    generator.write(out, Instant.now().getEpochSecond(), 20);
                    out.flush();
                    Thread.sleep(1000);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try (ComposeContainer compose = new ComposeContainer(new File("../docker-compose.yml"))
                .withEnv("HTTPMON_LOG_DIR", logs.toString())
                .withBuild(true)
                .withScaledService("parser-service", 3)
                .waitingFor(
                        "display-service",
                        Wait.forLogMessage(".*\"window_start\".*\"hits\":[1-9].*\\n", 1)
                                .withStartupTimeout(Duration.ofMinutes(15)))) {
            compose.start();
        } finally {
            writing.set(false);
            writer.join();
        }
    }
}
