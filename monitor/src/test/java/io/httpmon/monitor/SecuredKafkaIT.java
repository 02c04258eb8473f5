package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.broker.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that requires SASL/PLAIN: with the right credentials (a client properties file, as {@code
 * --kafka-config} or {@code [Kafka] client_config}) the whole pipeline works; with wrong ones httpmon says
 * "authentication failed" and exits non-zero at once instead of retrying forever, and never prints the secret.
 */
class SecuredKafkaIT {

    private static final String PASSWORD = "s3cret-alice-pw";

    @TempDir
    static Path dir;

    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.startWithSaslPlain(
                dir.resolve("broker"), "127.0.0.1", Duration.ofSeconds(60), Map.of("alice", PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Path clientConfig(String name, String password) throws Exception {
        return Files.writeString(
                dir.resolve(name),
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"alice\" password=\"" + password + "\";\n");
    }

    private static Path log() throws Exception {
        Path log = dir.resolve("access.log");
        if (!Files.exists(log)) {
            MonitorCliIT.Run gen =
                    MonitorCliIT.run(dir, "generate", "-o", log.toString(), "--fast", "--phases", "30s@5");
            assertEquals(0, gen.exit(), gen.stderr());
        }
        return log;
    }

    @Test
    void withTheRightCredentialsThePipelineWorks() throws Exception {
        Path logFile = dir.resolve("debug.log");
        Path config = Files.writeString(
                dir.resolve("right.cfg"),
                "[Stats]\ninterval = 10\n[Logging]\ndebug = True\n"
                        + "log_to_file = " + logFile + "\n[Kafka]\nclient_config = "
                        + clientConfig("right.properties", PASSWORD)
                        + "\n");
        MonitorCliIT.Run run = MonitorCliIT.run(
                dir,
                "-f",
                log().toString(),
                "-c",
                config.toString(),
                "--once",
                "--bootstrap-servers",
                broker.bootstrapServers());
        assertEquals(0, run.exit(), run.stderr());
        assertEquals(
                3, run.stdout().lines().filter(l -> l.contains("\"hits\":50")).count(), run.stdout());
        assertFalse(run.stderr().contains(PASSWORD), run.stderr());
        String debugLog = Files.readString(logFile);
        assertTrue(debugLog.contains("DEBUG"), "the debug log was written");
        assertFalse(debugLog.contains(PASSWORD), "no secret in the debug log");
    }

    @Test
    void withWrongCredentialsEveryServiceSaysAuthenticationFailedAndExits() throws Exception {
        Path wrong = clientConfig("wrong.properties", "not-the-password");
        long start = System.nanoTime();
        MonitorCliIT.Run run = MonitorCliIT.run(
                dir,
                "-f",
                log().toString(),
                "--once",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--kafka-config",
                wrong.toString());
        assertEquals(1, run.exit(), run.stderr());
        assertTrue(run.stderr().toLowerCase(Locale.ROOT).contains("authentication failed"), run.stderr());
        assertFalse(run.stderr().contains("not-the-password"), run.stderr());
        assertFalse(run.stderr().contains("\tat "), "no stack trace: " + run.stderr());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(60).toNanos(), "gave up instead of retrying");

        for (String service :
                new String[] {"reader-service", "parser-service", "stats-service", "alert-service", "display-service"
                }) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    Path.of("..", service, "target", service + ".jar").toString(),
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--kafka-config",
                    wrong.toString()));
            if (service.equals("reader-service")) {
                command.addAll(List.of("-f", log().toString()));
            }
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), service);
            assertEquals(1, p.exitValue(), service + ": " + output);
            assertTrue(output.toLowerCase(Locale.ROOT).contains("authentication failed"), service + ": " + output);
            assertFalse(output.contains("not-the-password"), service + ": " + output);
        }
    }
}
