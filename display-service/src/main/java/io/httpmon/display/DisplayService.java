package io.httpmon.display;

import io.httpmon.common.ClientConfigs;
import io.httpmon.common.ConnectionWatch;
import io.httpmon.common.Control;
import io.httpmon.common.ControlChars;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.StopSignal;
import io.httpmon.common.Topic;
import io.httpmon.common.TopicAdmin;
import io.httpmon.common.Topics;
import io.httpmon.common.config.LoggingSetup;
import io.httpmon.common.config.OutputSettings;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.StatsWindow;
import io.httpmon.common.ops.ServiceMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code stats} (value {@link StatsWindow} JSON) and {@code alerts} (key rule name, value {@link AlertEvent}
 * JSON) and writes them to an {@link Output}. Every display instance reads every partition itself (no consumer
 * group), so each sees every record. Records that are not what they should be are logged and skipped. With a
 * checkpoint file, a restart continues exactly where the last flushed line ends.
 */
public final class DisplayService {

    private static final Logger log = LoggerFactory.getLogger(DisplayService.class);

    /**
     * @param fromBeginning without a checkpoint, start at the topics' beginning (else at their end)
     * @param once stop after the end-of-input marker of every partition of both topics
     * @param checkpoint where to keep the position, or null
     * @param stats read {@code stats} (false when nothing produces it: statistics switched off)
     * @param alerts read {@code alerts} (false when no alert rule is configured)
     */
    public record Settings(
            OutputSettings.Format format,
            boolean fromBeginning,
            boolean once,
            Path checkpoint,
            boolean stats,
            boolean alerts,
            List<String> monitors) {

        public Settings {
            monitors = List.copyOf(monitors);
        }

        public Settings(
                OutputSettings.Format format,
                boolean fromBeginning,
                boolean once,
                Path checkpoint,
                boolean stats,
                boolean alerts) {
            this(format, fromBeginning, once, checkpoint, stats, alerts, List.of());
        }

        public Settings(OutputSettings.Format format, boolean fromBeginning, boolean once, Path checkpoint) {
            this(format, fromBeginning, once, checkpoint, true, true);
        }

        /** These settings, waiting for the end of the {@code [Stats NAME]} monitors {@code monitors} as well. */
        public Settings withMonitors(List<String> monitors) {
            return new Settings(format, fromBeginning, once, checkpoint, stats, alerts, monitors);
        }
    }

    private final KafkaOptions kafka;
    private final Settings settings;
    private final OutputFormatter formatter;
    private final Deserializer<StatsWindow> statsReader =
            Topics.STATS.valueSerde().deserializer();
    private final Deserializer<AlertEvent> alertReader =
            Topics.ALERTS.valueSerde().deserializer();
    private static final Duration OUTPUT_RETRY = Duration.ofSeconds(5);
    /** The last point whose lines are all written and flushed: offsets to read next, and the output's length. */
    private DisplayCheckpoint written;
    /** The traffic counters for Prometheus, from the windows written. */
    private final TrafficMetrics traffic = new TrafficMetrics();
    /** Writing failed and has not succeeded since: said once, at ERROR. */
    private boolean failing;

    public DisplayService(KafkaOptions kafka, Settings settings) {
        this.kafka = kafka;
        this.settings = settings;
        this.formatter = new OutputFormatter(settings.format());
    }

    /** The output to open: given the length the checkpoint saw (-1 if none), it opens and, for a file, cuts back. */
    @FunctionalInterface
    public interface OutputOpener {
        Output open(long validLength) throws IOException;
    }

    public void run(OutputOpener opener, StopSignal stop) {
        ServiceMetrics.export("display");
        List<Topic<?, ?>> topics = new ArrayList<>();
        if (settings.stats()) {
            topics.add(Topics.STATS);
        }
        if (settings.alerts()) {
            topics.add(Topics.ALERTS);
        }
        if (topics.isEmpty() || !TopicAdmin.ensureTopics(kafka, topics, stop)) {
            return;
        }
        String statsTopic = Topics.STATS.name(kafka.topicPrefix());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                ClientConfigs.standaloneConsumer(kafka.clientProperties()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        // No group, nothing to commit: closing need not wait for a fetch in flight (up to fetch.max.wait.ms, half a
        // second at the end of every replay).
        try (AutoCloseable closeAtOnce = () -> consumer.close(Duration.ZERO);
                ConnectionWatch watch = ConnectionWatch.start("display", kafka)) {
            watch.watch(consumer::metrics);
            stop.onStop(consumer::wakeup);
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<?, ?> t : topics) {
                String topic = t.name(kafka.topicPrefix());
                // A topic created a moment ago may not be in this client's metadata yet.
                var infos = consumer.partitionsFor(topic);
                while (infos.isEmpty()) {
                    if (stop.sleep(Duration.ofMillis(100))) {
                        return;
                    }
                    infos = consumer.partitionsFor(topic);
                }
                infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            DisplayCheckpoint resumeAt =
                    settings.checkpoint() == null ? null : DisplayCheckpoint.load(settings.checkpoint());
            position(consumer, partitions, resumeAt);
            written = resumeAt;
            while (!stop.isStopped()) {
                try (Output output = opener.open(resumeAt == null ? -1 : resumeAt.outputLength())) {
                    if (resumeAt == null) {
                        resumeAt = new DisplayCheckpoint(positions(consumer, partitions), output.flush());
                    }
                    written = resumeAt;
                    loop(consumer, partitions, output, statsTopic, stop);
                    return;
                } catch (IOException e) {
                    // A full disk or an unwritable file must not lose anything: the records stay in Kafka, so go
                    // back to the last point known written (output length and offsets) and try again.
                    if (!failing) {
                        log.error(
                                "Cannot write the output: {}. Retrying every {} s; nothing is lost, the records "
                                        + "wait in Kafka",
                                e.getMessage(),
                                OUTPUT_RETRY.toSeconds());
                        failing = true;
                    } else {
                        log.debug("Still cannot write the output: {}", e.getMessage());
                    }
                    resumeAt = written;
                    if (resumeAt != null) {
                        resumeAt.offsets().forEach((tp, offset) -> consumer.seek(partition(tp), offset));
                    }
                    if (stop.sleep(OUTPUT_RETRY)) {
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot read the checkpoint " + settings.checkpoint() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // AutoCloseable.close declares Exception; consumer.close throws none
        }
    }

    private static Map<String, Long> positions(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Map<String, Long> offsets = new HashMap<>();
        partitions.forEach(tp -> offsets.put(tp.toString(), consumer.position(tp)));
        return offsets;
    }

    /** The inverse of {@link TopicPartition#toString()}: "topic-partition". */
    private static TopicPartition partition(String name) {
        int dash = name.lastIndexOf('-');
        return new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1)));
    }

    private void position(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, DisplayCheckpoint saved) {
        for (TopicPartition tp : partitions) {
            Long offset = saved == null ? null : saved.offsets().get(tp.toString());
            if (offset != null) {
                consumer.seek(tp, offset);
            } else if (settings.fromBeginning()) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seekToEnd(List.of(tp));
            }
        }
        // Resolve lazy seeks now: "the end" means the end as of start-up.
        partitions.forEach(consumer::position);
    }

    private void loop(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Output output,
            String statsTopic,
            StopSignal stop)
            throws IOException {
        Set<TopicPartition> ended = new HashSet<>();
        Set<String> statsEnded = new HashSet<>();
        Set<String> statsEnds = new HashSet<>(settings.monitors());
        statsEnds.add("");
        Set<String> endedSources = new java.util.TreeSet<>();
        // A replay (--once) computes windows and alerts much faster than they happened, and the two topics arrive
        // in no particular order: it prints them all at the end, in the order of the time they speak of.
        List<Timed> replay = new ArrayList<>();
        // A replay prints each window once, as finally revised: the corrections of a live run are noise in it.
        java.util.Map<String, Integer> replayWindows = new java.util.HashMap<>();
        while (!stop.isStopped()) {
            var batch = consumer.poll(Duration.ofMillis(200));
            if (batch.isEmpty()) {
                continue;
            }
            List<Timed> lines = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                Control control = Control.read(record.headers(), record.timestamp());
                if (control != null) {
                    if (control.kind() == Control.Kind.END_OF_INPUT) {
                        endedSources.addAll(Control.endedSources(record.headers()));
                        if (record.topic().equals(statsTopic)) {
                            // stats ends once the default monitor and every [Stats NAME] one have said so: their
                            // merging tasks write in any order
                            statsEnded.add(Control.monitor(record.headers()));
                            if (!statsEnded.containsAll(statsEnds)) {
                                continue;
                            }
                        }
                        ended.add(new TopicPartition(record.topic(), record.partition()));
                    }
                    continue;
                }
                String line = line(record, statsTopic);
                if (line == null) {
                    continue;
                }
                boolean stats = record.topic().equals(statsTopic);
                StatsWindow w = stats ? statsReader.deserialize(record.topic(), record.value()) : null;
                String monitor = w == null || w.monitor() == null ? "" : w.monitor();
                Timed timed = new Timed(record.timestamp(), stats ? 0 : 1, monitor, record.offset(), line, w);
                if (settings.once() && stats) {
                    // A revision replaces the window's earlier record: the same monitor's, the same group's.
                    String window = monitor + "/" + w.group() + "/" + w.windowStart() + "/" + w.windowEnd();
                    Integer earlier = replayWindows.get(window);
                    if (earlier != null) {
                        replay.set(earlier, timed);
                        continue;
                    }
                    replayWindows.put(window, replay.size());
                    replay.add(timed);
                    continue;
                }
                lines.add(timed);
            }
            if (settings.once()) {
                replay.addAll(lines);
                if (!ended.containsAll(partitions)) {
                    continue;
                }
                lines = replay;
            }
            lines.sort(Timed.ORDER);
            for (Timed timed : lines) {
                output.write(timed.line());
            }
            DisplayCheckpoint now = new DisplayCheckpoint(positions(consumer, partitions), output.flush());
            if (settings.checkpoint() != null) {
                now.save(settings.checkpoint());
            }
            written = now;
            for (Timed timed : lines) {
                ServiceMetrics.DISPLAYED
                        .labelValues(timed.topicOrder() == 0 ? "window" : "alert")
                        .inc();
                if (timed.stats() != null) {
                    traffic.add(timed.stats());
                }
            }
            if (failing) {
                log.warn("The output is written again, from where the last complete write ended");
                failing = false;
            }
            if (settings.once() && ended.containsAll(partitions)) {
                log.info("End of input reached on stats and alerts");
                if (!endedSources.isEmpty()) {
                    LoggerFactory.getLogger(LoggingSetup.NOTICE)
                            .info(
                                    "End of input of {} source{}: {}",
                                    endedSources.size(),
                                    endedSources.size() == 1 ? "" : "s",
                                    ControlChars.escape(String.join(", ", endedSources)));
                }
                return;
            }
        }
    }

    /** A line to print, with what orders it: its time, then stats before alerts, then its offset. */
    /**
     * A line to print and what orders it: its time, then stats before alerts, the default monitor's stats before the
     * named monitors' (by name: their merging tasks write in any order), then its offset.
     */
    private record Timed(long timestamp, int topicOrder, String monitor, long offset, String line, StatsWindow stats) {
        static final java.util.Comparator<Timed> ORDER = java.util.Comparator.comparingLong(Timed::timestamp)
                .thenComparingInt(Timed::topicOrder)
                .thenComparing(Timed::monitor)
                .thenComparingLong(Timed::offset);
    }

    private String line(ConsumerRecord<byte[], byte[]> record, String statsTopic) {
        if (record.value() == null) {
            return null;
        }
        try {
            if (record.topic().equals(statsTopic)) {
                return formatter.stats(statsReader.deserialize(record.topic(), record.value()));
            }
            return formatter.alert(alertReader.deserialize(record.topic(), record.value()));
        } catch (SerializationException | NullPointerException e) {
            log.warn(
                    "Skipped the record at {}-{} offset {}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return null;
        }
    }
}
