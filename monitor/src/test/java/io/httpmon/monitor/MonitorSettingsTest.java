package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.Cli;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.config.IntSettings;
import io.httpmon.common.config.OutputSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence (command line > environment > file > defaults) and the checks made before anything starts. */
class MonitorSettingsTest {

    @TempDir
    Path dir;

    private MonitorCommand.Settings resolve(Map<String, String> env, String... args) {
        MonitorCommand command = new MonitorCommand();
        Cli.commandLine(command).parseArgs(args);
        return command.resolve(env);
    }

    @Test
    void defaultsAreTheOriginals() {
        MonitorCommand.Settings s = resolve(Map.of());
        assertEquals(Path.of("/var/log/access.log"), s.file());
        assertEquals(10, s.interval());
        assertEquals(List.of(AlertRule.DEFAULT), s.rules());
        assertEquals(OutputSettings.Destination.stdout, s.output().destination());
        assertTrue(s.embedded());
        assertEquals("httpmon.", s.topicPrefix());
        assertEquals(6, s.partitions());
        assertNull(s.configFile());
    }

    @Test
    void theWindowSettingsTooComeFromTheCommandLineThenTheEnvironmentThenTheFile() throws Exception {
        Path config = Files.writeString(dir.resolve("w.cfg"), """
                [Stats]
                interval = 30
                max_lateness = 600
                grace = 5
                """);
        MonitorCommand.Settings fileOnly = resolve(Map.of(), "-c", config.toString());
        assertEquals(30, fileOnly.interval());
        assertEquals(600, fileOnly.maxLateness());
        assertEquals(5, fileOnly.grace());

        Map<String, String> env = Map.of("HTTPMON_MAX_LATENESS", "120", "HTTPMON_INTERVAL", "20");
        MonitorCommand.Settings withEnv = resolve(env, "-c", config.toString());
        assertEquals(120, withEnv.maxLateness());
        assertEquals(20, withEnv.interval());

        MonitorCommand.Settings withCli =
                resolve(env, "-c", config.toString(), "--max-lateness", "60", "--interval", "15", "--top", "3");
        assertEquals(60, withCli.maxLateness());
        assertEquals(15, withCli.interval());
        assertEquals(3, withCli.top());
        assertEquals(5, withCli.grace(), "what the command line does not say still comes from the file");

        UsageException tooLate = assertThrows(UsageException.class, () -> resolve(Map.of(), "--max-lateness", "90000"));
        assertEquals("--max-lateness 90000: expected " + IntSettings.MAX_LATENESS.accepted(), tooLate.getMessage());
    }

    @Test
    void commandLineBeatsEnvironmentBeatsFile() throws Exception {
        Path config = Files.writeString(dir.resolve("c.cfg"), """
                [Kafka]
                bootstrap_servers = from-file:9092
                topic_prefix = file.
                partitions = 3
                data_dir = /from/file
                """);
        MonitorCommand.Settings fileOnly = resolve(Map.of(), "-c", config.toString());
        assertEquals("from-file:9092", fileOnly.bootstrapServers());
        assertEquals("file.", fileOnly.topicPrefix());
        assertEquals(3, fileOnly.partitions());
        assertEquals(Path.of("/from/file"), fileOnly.dataDir());

        Map<String, String> env = Map.of(
                "HTTPMON_BOOTSTRAP_SERVERS",
                "from-env:9092",
                "HTTPMON_TOPIC_PREFIX",
                "env.",
                "HTTPMON_DATA_DIR",
                "/from/env",
                "HTTPMON_CONFIG",
                config.toString(),
                "HTTPMON_LOG_FILE",
                "/from/env.log");
        MonitorCommand.Settings withEnv = resolve(env);
        assertEquals(config, withEnv.configFile());
        assertEquals("from-env:9092", withEnv.bootstrapServers());
        assertEquals("env.", withEnv.topicPrefix());
        assertEquals(Path.of("/from/env"), withEnv.dataDir());
        assertEquals(Path.of("/from/env.log"), withEnv.file());

        MonitorCommand.Settings withCli = resolve(
                env,
                "--bootstrap-servers",
                "from-cli:9092",
                "--topic-prefix",
                "cli.",
                "--data-dir",
                "/from/cli",
                "--partitions",
                "2",
                "-f",
                "/from/cli.log");
        assertEquals("from-cli:9092", withCli.bootstrapServers());
        assertEquals("cli.", withCli.topicPrefix());
        assertEquals(Path.of("/from/cli"), withCli.dataDir());
        assertEquals(2, withCli.partitions());
        assertEquals(Path.of("/from/cli.log"), withCli.file());
    }

    @Test
    void outputOptionsOverrideTheFile() throws Exception {
        Path config = Files.writeString(
                dir.resolve("c.cfg"), "[Output]\ndisplayer = file\nfile_name = " + dir.resolve("a.txt") + "\n");
        MonitorCommand.Settings s = resolve(Map.of(), "-c", config.toString(), "--output", "stdout");
        assertEquals(OutputSettings.Destination.stdout, s.output().destination());
        MonitorCommand.Settings f = resolve(
                Map.of(),
                "-c",
                config.toString(),
                "--output-file",
                dir.resolve("b.txt").toString());
        assertEquals(dir.resolve("b.txt"), f.output().file());
    }

    @Test
    void aDataDirPerMonitoredFile() {
        Map<String, String> env = Map.of("XDG_STATE_HOME", "/state");
        Path a = MonitorCommand.defaultDataDir(env, Path.of("/var/log/nginx/access.log"));
        Path b = MonitorCommand.defaultDataDir(env, Path.of("/var/log/apache2/access.log"));
        assertEquals(Path.of("/state/httpmon/monitor"), a.getParent());
        assertTrue(a.getFileName().toString().startsWith("access.log-"), a.toString());
        assertTrue(!a.equals(b));
    }

    @Test
    void mistakesBeforeAnythingStarts() throws Exception {
        assertEquals(
                dir.resolve("none.cfg") + ": no such config file",
                assertThrows(
                                UsageException.class,
                                () -> resolve(
                                        Map.of(), "-c", dir.resolve("none.cfg").toString()))
                        .getMessage());
        assertEquals(
                "--once needs an existing file: " + dir.resolve("none.log") + " is not one",
                assertThrows(
                                UsageException.class,
                                () -> resolve(
                                        Map.of(),
                                        "--once",
                                        "-f",
                                        dir.resolve("none.log").toString()))
                        .getMessage());
        assertEquals(
                "--output file needs --output-file FILE (or [Output] file_name)",
                assertThrows(UsageException.class, () -> resolve(Map.of(), "--output", "file"))
                        .getMessage());
        Path nothing = Files.writeString(dir.resolve("n.cfg"), "[Stats]\ninterval = 0\n[Alerts]\n");
        assertEquals(
                nothing + ": nothing to show: statistics are off ([Stats] interval <= 0) and [Alerts] has no " + "rule",
                assertThrows(UsageException.class, () -> resolve(Map.of(), "-c", nothing.toString()))
                        .getMessage());
        assertEquals(
                "--kafka-config " + dir.resolve("k.properties") + ": no such file",
                assertThrows(
                                UsageException.class,
                                () -> resolve(
                                        Map.of(),
                                        "--kafka-config",
                                        dir.resolve("k.properties").toString()))
                        .getMessage());
    }
}
