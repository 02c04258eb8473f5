package io.httpmon.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.httpmon.common.Cli;
import io.httpmon.common.ClientConfigs;
import io.httpmon.common.ControlChars;
import io.httpmon.common.Json;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.Times;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.ConfigFileOption;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code httpmon status}: each stage's instances, lag, rate and state, read from Kafka. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {
            "Where each stage of the pipeline stands, read from Kafka (consumer groups and topics): its "
                    + "instances, the records of its input it has yet to consume (lag), the records a second it "
                    + "consumed, its group's state, and a verdict (ok, idle, behind: its lag grew, rebalancing, down: "
                    + "no instance). A lag of a few records is counted record by record (transaction markers take "
                    + "offsets but are not records); a live reader's idle markers keep about one record a partition in "
                    + "flight.",
            "Rates and lag are in Kafka records: a raw-lines record is a chunk of lines (up to 64 KiB), a requests "
                    + "record the requests of one chunk."
        })
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON document, for scripts.")
    boolean json;

    @Option(
            names = "--sample",
            paramLabel = "SECONDS",
            defaultValue = "2",
            description = "Time between the two looks that give the rates. Default: ${DEFAULT-VALUE}.")
    double sample;

    @Mixin
    ConfigFileOption configFile;

    @Mixin
    KafkaOptions kafka;

    public static void main(String[] args) {
        Cli.exit(Cli.run(new StatusCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        kafka.apply(configFile.load());
        if (!(sample > 0 && sample <= 600)) {
            throw new UsageException("--sample must be between 0 and 600 seconds, got " + sample);
        }
        Properties props = ClientConfigs.admin(kafka.clientProperties());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        List<PipelineStatus.Stage> stages;
        List<SourceStatus> sources;
        Properties consumerProps = ClientConfigs.standaloneConsumer(kafka.clientProperties());
        consumerProps.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(256 * 1024));
        try (Admin admin = Admin.create(props);
                KafkaConsumer<byte[], byte[]> reader =
                        new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            try {
                admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                spec.commandLine()
                        .getErr()
                        .println(
                                "httpmon status: Kafka at " + kafka.bootstrapServers() + " did not answer within 15 s");
                return 1;
            }
            stages = PipelineStatus.read(admin, reader, kafka.topicPrefix(), Duration.ofMillis((long) (sample * 1000)));
            sources = SourceStatus.read(reader, kafka.topicPrefix());
        }
        PrintWriter out = spec.commandLine().getOut();
        long now = System.currentTimeMillis();
        out.print(json ? json(stages, sources, now) : table(stages) + table(sources, now));
        out.flush();
        return Cli.EXIT_OK;
    }

    static String json(List<PipelineStatus.Stage> stages) {
        return json(stages, List.of(), System.currentTimeMillis());
    }

    static String json(List<PipelineStatus.Stage> stages, List<SourceStatus> sources, long now) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode sourceArray = root.putArray("sources");
        for (SourceStatus s : sources) {
            ObjectNode node = sourceArray.addObject();
            node.put("source", s.source());
            node.put("file", s.file());
            node.put("lines", s.lines());
            node.put("last_published", Times.iso(s.lastPublished()));
            node.put("seconds_since", Math.max(0, (now - s.lastPublished()) / 1000));
        }
        ArrayNode array = root.putArray("stages");
        for (PipelineStatus.Stage s : stages) {
            ObjectNode node = array.addObject();
            node.put("stage", s.stage());
            node.put("group", s.group());
            if (s.instances() >= 0) {
                node.put("instances", s.instances());
            } else {
                node.putNull("instances");
            }
            node.put("state", s.state());
            node.put("input", s.input());
            if (s.lag() >= 0) {
                node.put("lag", s.lag());
            } else {
                node.putNull("lag");
            }
            node.put("rate", Math.round(s.rate() * 10) / 10.0);
            node.put("verdict", s.verdict());
        }
        return root.toString() + System.lineSeparator();
    }

    /** The sources, one line each: a server whose reader has not published for long stands out. */
    static String table(List<SourceStatus> sources, long now) {
        if (sources.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(
                String.format(Locale.ROOT, "%n%-40s %-12s %-22s %s%n", "SOURCE", "LINES", "LAST PUBLISHED", "FILE"));
        for (SourceStatus s : sources) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-40s %-12d %-22s %s%n",
                    ControlChars.escape(s.source()),
                    s.lines(),
                    Math.max(0, (now - s.lastPublished()) / 1000) + " s ago",
                    ControlChars.escape(s.file())));
        }
        return b.toString();
    }

    static String table(List<PipelineStatus.Stage> stages) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "%-8s %-9s %-9s %-11s %-12s %s%n",
                "STAGE",
                "INSTANCES",
                "LAG",
                "RECORDS/S",
                "VERDICT",
                "STATE"));
        for (PipelineStatus.Stage s : stages) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-8s %-9s %-9s %-11.1f %-12s %s%n",
                    s.stage(),
                    s.instances() < 0 ? "-" : Integer.toString(s.instances()),
                    s.lag() < 0 ? "-" : Long.toString(s.lag()),
                    s.rate(),
                    s.verdict(),
                    ControlChars.escape(s.state())));
        }
        return b.toString();
    }
}
