package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.httpmon.broker.ServiceProcess;
import io.httpmon.broker.SharedBroker;
import io.httpmon.common.Control;
import io.httpmon.common.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine;

/**
 * The services of a pipeline run as their own processes against the shared broker, as the ITs start them: their
 * jars, their Kafka arguments, and {@code httpmon status} run as a user would.
 */
final class Services {

    private Services() {}

    /** A service module's runnable jar (built by {@code package}, before the ITs). */
    static Path jar(String module) {
        return Path.of("..", module, "target", module + ".jar");
    }

    /** The shared broker, {@code prefix}'s topics of {@code partitions} partitions, then {@code more}. */
    static List<String> kafkaArgs(String prefix, int partitions, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers",
                SharedBroker.bootstrapServers(),
                "--topic-prefix",
                prefix,
                "--partitions",
                Integer.toString(partitions)));
        args.addAll(List.of(more));
        return args;
    }

    /** stats-service with 10 s windows, its state under {@code stateDir}. */
    static ServiceProcess stats(String prefix, int partitions, Path stateDir) throws IOException {
        return ServiceProcess.start(
                jar("stats-service"),
                "stats",
                kafkaArgs(prefix, partitions, "--interval", "10", "--state-dir", stateDir.toString()));
    }

    /** Whether the records read include the end-of-input marker. */
    static Predicate<List<ConsumerRecord<byte[], byte[]>>> endMarker() {
        return records -> records.stream().anyMatch(r -> Control.isControl(r.headers()));
    }

    /**
     * A command of {@code ./httpmon} ({@code rules}, {@code monitors}...) run in this JVM against the shared broker and
     * {@code prefix}'s topics: its exit code and what it printed, as {@code "CODE OUTPUT"}.
     */
    static String command(Object command, String prefix, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", SharedBroker.bootstrapServers(), "--topic-prefix", prefix));
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        int code;
        try (java.io.PrintStream capture =
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = io.httpmon.common.Cli.run(command, all.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        return (code + " " + printed.toString(java.nio.charset.StandardCharsets.UTF_8)).strip();
    }

    /** {@code httpmon status --json}, run as a user would (in this JVM). */
    static JsonNode status(String prefix) throws IOException {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new StatusCommand());
        cli.setOut(new PrintWriter(out));
        int code = cli.execute(
                "--bootstrap-servers",
                SharedBroker.bootstrapServers(),
                "--topic-prefix",
                prefix,
                "--json",
                "--sample",
                "0.5");
        assertEquals(0, code, out.toString());
        return Json.MAPPER.readTree(out.toString());
    }
}
