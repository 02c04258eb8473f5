package io.httpmon.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;



import io.httpmon.common.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileConfigTest {

    private static final Path FILE = Path.of("config.cfg");

    private static FileConfig parse(String text) {
        return FileConfig.of(IniFile.parse(FILE, text));
    }

    @Test
    void theOriginalConfigWorksUnchanged() {
        FileConfig config = parse("""
                [Stats]
                interval = 10
                [Alerts]
                alert_1 = 30, 120
                alert_2 = 100, 20
                [Output]
                displayer = stdout
                # file_name = output_filename.txt
                [Logging]
                debug = False
                log_to_stdout = False
                log_to_file = http_monitor.log
                """);
        assertEquals(10, config.interval());
        assertEquals(List.of(new AlertRule("alert_1", 30, 120), new AlertRule("alert_2", 100, 20)), config.rules());
        assertEquals(OutputSettings.Destination.stdout, config.displayer());
        assertEquals(false, config.debug());
        assertEquals(false, config.logToStdout());
        assertEquals("http_monitor.log", config.logToFile());
        assertNull(config.bootstrapServers());
        assertNull(config.outputFile());
    }

    @Test
    void theShippedConfigFilesAreValid() {
        Path root = Path.of("..");
        FileConfig shipped = FileConfig.read(root.resolve("config.cfg"));
        assertEquals(2, shipped.rules().size());
        FileConfig template = FileConfig.read(root.resolve("config_template.cfg"));
        assertEquals(10, template.interval());
        assertEquals(List.of(AlertRule.DEFAULT.withName("alert_1")), template.rules());
        assertEquals(6, template.partitions());
        assertEquals("", template.logToFile());
    }

    @Test
    void withoutAnAlertsSectionRulesAreUnsetAndAnEmptySectionMeansNone() {
        assertNull(parse("[Stats]\ninterval = 5\n").rules());
        assertTrue(parse("[Alerts]\n").rules().isEmpty());
    }

    @Test
    void kafkaSectionAndBooleansInEveryFormPythonAccepts() {
        FileConfig config = parse("""
                [Logging]
                debug = yes
                log_to_stdout = off
                [Kafka]
                bootstrap_servers = kafka-1:9092, kafka-2:9092
                topic_prefix = prod.httpmon.
                partitions = 12
                client_config = client.properties
                data_dir = /var/lib/httpmon
                [Output]
                displayer = FILE
                file_name = out.txt
                format = json
                """);
        assertEquals(true, config.debug());
        assertEquals(false, config.logToStdout());
        assertEquals("kafka-1:9092, kafka-2:9092", config.bootstrapServers());
        assertEquals("prod.httpmon.", config.topicPrefix());
        assertEquals(12, config.partitions());
        assertEquals(Path.of("client.properties"), config.clientConfig());
        assertEquals(OutputSettings.Destination.file, config.displayer());
        assertEquals(OutputSettings.Format.json, config.format());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown section     | [Stats]\\ninterval = 10\\n[Colors]\\n | config.cfg:3: unknown section [Colors]; accepted: [Stats], [Alerts], [Output], [Logging], [Kafka]
            unknown key         | [Stats]\\nintervall = 10\\n | config.cfg:2: [Stats] intervall: unknown key; [Stats] accepts grace, interval, max_future, max_lateness, top
            threshold not a number | [Alerts]\\nalert_1 = ten, 120\\n | config.cfg:2: [Alerts] alert_1 = ten, 120: the threshold 'ten' is not a number (hits per second, e.g. 10 or 2.5) (accepted: THRESHOLD, WINDOW_SECONDS, e.g. 10, 120)
            negative window     | [Alerts]\\nalert_1 = 10, -5\\n | config.cfg:2: [Alerts] alert_1 = 10, -5: the window must be 1 to 86400 seconds, got -5 (accepted: THRESHOLD, WINDOW_SECONDS, e.g. 10, 120)
            one number          | [Alerts]\\nalert_1 = 10\\n | config.cfg:2: [Alerts] alert_1 = 10: expected 'THRESHOLD, WINDOW_SECONDS', e.g. '10, 120' (accepted: THRESHOLD, WINDOW_SECONDS, e.g. 10, 120)
            unknown displayer   | [Output]\\ndisplayer = printer\\n | config.cfg:2: [Output] displayer = printer: expected stdout, log or file
            file without name   | [Output]\\ndisplayer = file\\n | config.cfg:2: [Output] displayer = file: needs file_name = PATH in [Output], the file to append to
            interval not a number | [Stats]\\ninterval = soon\\n | config.cfg:2: [Stats] interval = soon: expected a whole number of seconds (0 or less: no statistics)
            bad boolean         | [Logging]\\ndebug = maybe\\n | config.cfg:2: [Logging] debug = maybe: expected True or False
            bad bootstrap       | [Kafka]\\nbootstrap_servers = localhost\\n | config.cfg:2: [Kafka] bootstrap_servers = localhost: expected HOST:PORT[,HOST:PORT...], or nothing for the embedded broker
            zero partitions     | [Kafka]\\npartitions = 0\\n | config.cfg:2: [Kafka] partitions = 0: expected a whole number from 1 to 1000
            future beyond Kafka | [Stats]\\nmax_future = 7200\\n | config.cfg:2: [Stats] max_future = 7200: expected a whole number of seconds, 0 to 3600 (Kafka's own limit is an hour)
            """)
    void everyMistakeNamesTheFileTheLineAndTheKey(String name, String text, String message) {
        UsageException e = assertThrows(UsageException.class, () -> parse(text.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void readsFromDisk(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.cfg"), "[Stats]\ninterval = 3\n");
        assertEquals(3, FileConfig.read(file).interval());
    }
}
