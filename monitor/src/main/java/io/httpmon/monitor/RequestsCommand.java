package io.httpmon.monitor;

import com.fasterxml.jackson.core.JsonGenerator;
import io.httpmon.common.Cli;
import io.httpmon.common.ClientConfigs;
import io.httpmon.common.Json;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.RequestBatchSerde;
import io.httpmon.common.SafeJson;
import io.httpmon.common.Topics;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.ConfigFileOption;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code httpmon requests dump}: the {@code requests} topic for people and jq. The parser publishes each batch in a
 * binary form (docs/topics.md); this prints it as JSON lines, one object per request, or with {@code --batches} one
 * line per record in the documented JSON form.
 */
@Command(
        name = "requests",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "The requests the parsers published, as JSON.",
        subcommands = {RequestsCommand.Dump.class})
public final class RequestsCommand implements Callable<Integer> {

    public static void main(String[] args) {
        Cli.exit(Cli.run(new RequestsCommand(), args));
    }

    @Override
    public Integer call() {
        throw new UsageException("say what to do: requests dump");
    }

    @Command(
            name = "dump",
            mixinStandardHelpOptions = true,
            versionProvider = Cli.Version.class,
            description = {
                "Prints the requests topic as JSON lines, from its start to where it ends now (or on with --follow): "
                        + "one object per request, its fields named as the columns in docs/topics.md (null where "
                        + "the log had none); partitions one after the other, each in file order.",
                "Reads committed records only. A record that is not a request batch is said on stderr and skipped."
            })
    static final class Dump implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--batches", description = "One line per record: the batch in its JSON form (columns once).")
        boolean batches;

        @Option(names = "--follow", description = "Go on printing what is published after the end, until Ctrl-C.")
        boolean follow;

        @Option(names = "--max", paramLabel = "N", description = "Stop after N requests (with --batches: N records).")
        Long max;

        @Mixin
        ConfigFileOption configFile;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() throws Exception {
            kafka.apply(configFile.load());
            if (max != null && max < 1) {
                throw new UsageException("--max must be at least 1, got " + max);
            }
            String topic = Topics.REQUESTS.name(kafka.topicPrefix());
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AtomicBoolean stopped = new AtomicBoolean();
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                stopped.set(true);
                try {
                    main.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(
                    ClientConfigs.standaloneConsumer(kafka.clientProperties()),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<PartitionInfo> partitions;
                try {
                    partitions = reader.partitionsFor(topic, Duration.ofSeconds(15));
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    err.println("httpmon requests dump: Kafka at " + kafka.bootstrapServers()
                            + " did not answer within 15 s");
                    return 1;
                }
                if (partitions == null || partitions.isEmpty()) {
                    err.println("httpmon requests dump: no topic " + topic + " at " + kafka.bootstrapServers()
                            + " (nothing parsed yet, or another --topic-prefix)");
                    return 1;
                }
                long printed = dump(reader, topic, partitions.size(), out, err, stopped);
                err.println(
                        "httpmon requests dump: " + printed + (batches ? " records" : " requests") + " from " + topic);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running
                }
            }
            return Cli.EXIT_OK;
        }

        /** Reads {@code topic} from its start; returns what it printed (requests, or records with --batches). */
        long dump(
                Consumer<byte[], byte[]> reader,
                String topic,
                int partitionCount,
                PrintWriter out,
                PrintWriter err,
                AtomicBoolean stopped) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < partitionCount; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
            RequestBatchSerde serde = RequestBatchSerde.all();
            long printed = 0;
            long limit = max == null ? Long.MAX_VALUE : max;
            while (!stopped.get() && printed < limit) {
                if (!follow && partitions.stream().allMatch(p -> reader.position(p) >= ends.get(p))) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.value() == null || printed >= limit) {
                        continue; // a control record
                    }
                    RequestBatch batch;
                    try {
                        batch = serde.deserialize(topic, record.headers(), record.value());
                    } catch (SerializationException e) {
                        err.println("httpmon requests dump: skipped partition " + record.partition() + " offset "
                                + record.offset() + ": " + e.getMessage());
                        continue;
                    }
                    if (batches) {
                        out.println(new String(RequestBatchSerde.json(batch), StandardCharsets.UTF_8));
                        printed++;
                    } else {
                        for (HttpRequest r : batch.requests()) {
                            if (printed >= limit) {
                                break;
                            }
                            out.println(json(r));
                            printed++;
                        }
                    }
                }
                out.flush();
            }
            out.flush();
            return printed;
        }
    }

    /** One request as a JSON object, its fields named as the columns, safe for a terminal ({@link SafeJson}). */
    static String json(HttpRequest request) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(text)) {
            g.setCharacterEscapes(SafeJson.ESCAPES);
            g.writeStartObject();
            for (RequestBatchSerde.Column c : RequestBatchSerde.Column.values()) {
                g.writeFieldName(c.jsonName());
                Object value = c.value(request);
                if (value == null) {
                    g.writeNull();
                } else if (value instanceof String s) {
                    g.writeString(s);
                } else if (value instanceof Boolean b) {
                    g.writeBoolean(b);
                } else {
                    g.writeNumber(((Number) value).longValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string", e);
        }
        return text.toString();
    }
}
