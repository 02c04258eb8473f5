package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.httpmon.common.config.FileConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Command line, then environment, then the config file, then the default: for every Kafka setting. */
class KafkaOptionsTest {

    @Command(name = "svc")
    static final class Service {
        @Mixin
        KafkaOptions kafka;
    }

    @TempDir
    Path dir;

    private KafkaOptions resolve(Map<String, String> env, FileConfig file, String... args) {
        Service service = new Service();
        new CommandLine(service).parseArgs(args);
        service.kafka.apply(env, file);
        return service.kafka;
    }

    private FileConfig file() throws IOException {
        Path config = Files.writeString(dir.resolve("config.cfg"), """
                [Kafka]
                bootstrap_servers = file-host:9092
                topic_prefix = file.
                partitions = 3
                """);
        return FileConfig.read(config);
    }

    @Test
    void theCommandLineWinsOverEverything() throws IOException {
        KafkaOptions kafka = resolve(
                Map.of("HTTPMON_BOOTSTRAP_SERVERS", "env-host:9092", "HTTPMON_TOPIC_PREFIX", "env."),
                file(),
                "--bootstrap-servers",
                "cli-host:9092",
                "--topic-prefix",
                "cli.",
                "--partitions",
                "2");
        assertEquals("cli-host:9092", kafka.bootstrapServers());
        assertEquals("cli.", kafka.topicPrefix());
        assertEquals(2, kafka.partitions());
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws IOException {
        KafkaOptions kafka =
                resolve(Map.of("HTTPMON_BOOTSTRAP_SERVERS", "env-host:9092", "HTTPMON_TOPIC_PREFIX", "env."), file());
        assertEquals("env-host:9092", kafka.bootstrapServers());
        assertEquals("env.", kafka.topicPrefix());
        assertEquals(3, kafka.partitions(), "no environment variable for partitions: the file's");
    }

    @Test
    void theFileWinsOverTheDefaultsAndABlankVariableIsUnset() throws IOException {
        KafkaOptions kafka = resolve(Map.of("HTTPMON_BOOTSTRAP_SERVERS", " "), file());
        assertEquals("file-host:9092", kafka.bootstrapServers());
        assertEquals("file.", kafka.topicPrefix());
    }

    @Test
    void withNothingSetTheDefaults() {
        KafkaOptions kafka = resolve(Map.of(), FileConfig.NONE);
        assertEquals("127.0.0.1:9092", kafka.bootstrapServers());
        assertEquals(Topics.DEFAULT_PREFIX, kafka.topicPrefix());
        assertEquals(6, kafka.partitions());
    }

    @Test
    void theKafkaConfigFileIsReadOnceAndEachCallerGetsItsOwnCopy() throws IOException {
        Path properties = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\n");
        KafkaOptions kafka = resolve(Map.of(), FileConfig.NONE, "--kafka-config", properties.toString());
        var first = kafka.clientProperties();
        Files.delete(properties);
        first.put("client.id", "mine");
        var second = kafka.clientProperties();
        assertEquals("SSL", second.get("security.protocol"), "read once: the file is gone by now");
        assertEquals(null, second.get("client.id"), "a caller's additions stay its own");
    }
}
