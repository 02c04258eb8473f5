package io.httpmon.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.broker.SharedBroker;
import io.httpmon.common.Control;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.StatsWindow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedBroker.class)
class DisplayServiceIT {

    @TempDir
    Path dir;

    private static StatsWindow stats(int minute, long hits) {
        String end = String.format("2018-05-09T16:%02d:10Z", minute);
        return new StatsWindow(end, end, end, hits, hits / 10.0, List.of(), List.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), Map.of(), 0, 0, 0);
    }

    private static AlertEvent alert(int minute) {
        String at = String.format("2018-05-09T16:%02d:11Z", minute);
        return new AlertEvent("a", AlertEvent.FIRING, 5, 5, 4, 2, at, at, null,
                "High traffic generated an alert - hits = 5, triggered at " + at);
    }

    private static void produce(String prefix, List<ProducerRecord<byte[], byte[]>> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, long ts, byte[] value) {
        return new ProducerRecord<>(topic, 0, ts, null, value);
    }

    private static ProducerRecord<byte[], byte[]> endMarker(String topic) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, 0, (Long) null, (byte[]) null, (byte[]) null);
        r.headers().add(Control.CONTROL, Control.END_OF_INPUT.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private void runOnce(KafkaOptions kafka, Path out) throws Exception {
        DisplayService display = new DisplayService(kafka, new DisplayService.Settings(OutputFormatter.Format.TEXT,
                true, true, out.resolveSibling(out.getFileName() + ".offsets")));
        var executor = Executors.newSingleThreadExecutor();
        try {
            executor.submit(() -> display.run(length -> Output.file(out, length), new StopSignal()))
                    .get(60, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void writesEveryRecordOnceToTheFileAcrossRestartsAndSkipsGarbage() throws Exception {
        String prefix = SharedBroker.uniquePrefix("display");
        KafkaOptions kafka = KafkaOptions.of(SharedBroker.bootstrapServers(), prefix, 1);
        TopicAdmin.ensureTopics(kafka, List.of(Topics.STATS, Topics.ALERTS), new StopSignal());
        String statsTopic = Topics.STATS.name(prefix);
        String alertsTopic = Topics.ALERTS.name(prefix);
        var statsSerde = Topics.STATS.valueSerde().serializer();
        var alertSerde = Topics.ALERTS.valueSerde().serializer();
        long t = 1_525_881_610_000L;
        produce(prefix, List.of(
                record(statsTopic, t, statsSerde.serialize(statsTopic, stats(0, 7))),
                record(alertsTopic, t + 1000, alertSerde.serialize(alertsTopic, alert(0))),
                record(statsTopic, t + 2000, "\u001b[31mnot json".getBytes(StandardCharsets.UTF_8)),
                endMarker(statsTopic), endMarker(alertsTopic)));
        Path out = dir.resolve("out.txt");
        runOnce(kafka, out);
        List<String> first = Files.readAllLines(out);
        assertEquals(2, first.size(), first::toString);
        assertTrue(first.get(0).contains("\"hits\":7"));
        assertEquals("High traffic generated an alert - hits = 5, triggered at 2018-05-09T16:00:11Z", first.get(1));

        // A second replay's output: the restart continues after the first run's records.
        produce(prefix, List.of(record(statsTopic, t + 60_000, statsSerde.serialize(statsTopic, stats(1, 9))),
                endMarker(statsTopic), endMarker(alertsTopic)));
        runOnce(kafka, out);
        List<String> second = Files.readAllLines(out);
        assertEquals(3, second.size(), second::toString);
        assertTrue(second.get(2).contains("\"hits\":9"));

        // A crash after writing but before saving the position left a line the checkpoint does not cover.
        Files.writeString(out, "half-written line from a crash\n", java.nio.file.StandardOpenOption.APPEND);
        produce(prefix, List.of(endMarker(statsTopic), endMarker(alertsTopic)));
        runOnce(kafka, out);
        assertEquals(second, Files.readAllLines(out), "cut back to what the checkpoint covers, nothing repeated");
    }
}
