package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class CliTest {

    @Command(name = "svc", mixinStandardHelpOptions = true)
    static final class Service implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            kafka.clientProperties();
            throw new IllegalStateException("broken on purpose");
        }
    }

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Cli.commandLine(new Service());
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    @Test
    void anUnknownOptionIsAOneLineErrorWithExitCode2() {
        assertEquals(2, run("--no-such-option"));
        assertTrue(err.toString().startsWith("svc: Unknown option: '--no-such-option'"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void aMissingKafkaConfigFileIsExitCode2NamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("client.properties");
        assertEquals(2, run("--kafka-config", missing.toString()));
        assertTrue(
                err.toString().contains(missing.toString()) && err.toString().contains("no such file"), err.toString());
    }

    @Test
    void aFailureWhileRunningIsExitCode1WithoutStackTrace(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("client.properties");
        Files.writeString(config, "security.protocol=PLAINTEXT\n");
        assertEquals(1, run("--kafka-config", config.toString()));
        assertTrue(err.toString().startsWith("svc: broken on purpose"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void aProgrammingErrorIsSaidToBeOursWithWhereItHappenedInOneLine() {
        int[] slots = new int[32];
        RuntimeException failure;
        try {
            slots[slots.length] = 1;
            failure = null;
        } catch (ArrayIndexOutOfBoundsException e) {
            failure = new org.apache.kafka.common.KafkaException("writing a batch", e);
        }
        String message = Cli.message(failure);
        assertTrue(
                message.startsWith("internal error, a bug in httpmon: ArrayIndexOutOfBoundsException: Index 32 out of "
                        + "bounds for length 32 at io.httpmon.common.CliTest.aProgrammingErrorIs"),
                message);
        assertFalse(message.contains("\n"), "one line");
        assertEquals(
                "broken on purpose (run with -Dhttpmon.log.level=DEBUG for details)",
                Cli.message(new IllegalStateException("broken on purpose")),
                "a failure that is not a bug keeps its own words");
    }

    @Test
    void bootstrapServersDefaultToLoopback() {
        Service service = new Service();
        new CommandLine(service).parseArgs();
        String expected = System.getenv().getOrDefault("HTTPMON_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        assertEquals(expected, service.kafka.bootstrapServers());
        assertEquals("httpmon.", service.kafka.topicPrefix());
    }
}
