package io.httpmon.monitor;

import io.httpmon.common.Topics;
import io.httpmon.parser.ParserService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Where each stage of a pipeline stands, read from Kafka alone (consumer groups and topics): like
 * {@code kafka-consumer-groups --describe}, but per stage, so an operator sees at once which one falls behind.
 * Two looks {@code sample} apart give the rates and whether the lag grows.
 */
final class PipelineStatus {

    private static final long CALL_SECONDS = 10;

    /**
     * One stage.
     *
     * @param instances running instances (members of its group; a Kafka Streams instance counts once whatever its
     *        threads), or -1 when Kafka cannot tell (the reader, the display)
     * @param state its group's state (STABLE, EMPTY, PREPARING_REBALANCE, ...), or what is known otherwise
     * @param lag records of its input not yet consumed (committed), or -1
     * @param rate records a second it consumed (or, for the reader, published) between the two looks
     * @param verdict one word: ok, behind (the lag grew), idle, down (no instance), unknown
     */
    record Stage(
            String stage,
            String group,
            int instances,
            String state,
            String input,
            long lag,
            double rate,
            String verdict) {}

    private PipelineStatus() {}

    /** Below this many offsets, a lag is counted record by record (markers left out); above, markers hardly matter. */
    static final long COUNT_BELOW = 100;

    static List<Stage> read(Admin admin, Consumer<byte[], byte[]> reader, String prefix, Duration sample)
            throws Exception {
        String rawLines = Topics.RAW_LINES.name(prefix);
        String requests = Topics.REQUESTS.name(prefix);
        Map<String, String> groups = new LinkedHashMap<>(); // stage -> group
        groups.put("parser", ParserService.groupId(prefix));
        groups.put("stats", prefix + "stats");
        groups.put("alert", prefix + "alert");
        Map<String, String> inputs = Map.of("parser", rawLines, "stats", requests, "alert", requests);

        Set<String> existing = admin.listTopics().names().get(CALL_SECONDS, TimeUnit.SECONDS);
        List<String> topics = new ArrayList<>();
        for (String topic : List.of(rawLines, requests, Topics.STATS.name(prefix), Topics.ALERTS.name(prefix))) {
            if (existing.contains(topic)) {
                topics.add(topic);
            }
        }
        Look first = look(admin, reader, topics, groups.values());
        Thread.sleep(sample.toMillis());
        Look second = look(admin, reader, topics, groups.values());
        double seconds = (second.at - first.at) / 1e9;

        List<Stage> stages = new ArrayList<>();
        long published = second.ends(rawLines) - first.ends(rawLines);
        stages.add(new Stage(
                "reader",
                null,
                -1,
                existing.contains(rawLines) ? "publishes to " + rawLines : "no " + rawLines + " topic yet",
                "access log",
                -1,
                published / seconds,
                published > 0 ? "ok" : "idle"));
        Map<String, ConsumerGroupDescription> described = describe(admin, groups.values());
        for (var entry : groups.entrySet()) {
            String stage = entry.getKey();
            String group = entry.getValue();
            String input = inputs.get(stage);
            ConsumerGroupDescription description = described.get(group);
            int instances = description == null ? 0 : instances(description.members());
            String state =
                    description == null ? "NO GROUP" : description.groupState().toString();
            long lagBefore = first.lag(group, input);
            long lag = second.lag(group, input);
            long consumed = second.committed(group, input) - first.committed(group, input);
            // Behind: the lag grew, and is more than a second of the input plus a record a partition (the idle
            // markers a live reader sends every second are always a record or so in flight).
            double inputPerSecond = (second.ends(input) - first.ends(input)) / seconds;
            int partitions = (int) second.ends.keySet().stream()
                    .filter(tp -> tp.topic().equals(input))
                    .count();
            String verdict = description == null || instances == 0
                    ? "down"
                    : lag > lagBefore && lag > inputPerSecond + partitions
                            ? "behind"
                            : description.groupState() != GroupState.STABLE
                                    ? "rebalancing"
                                    : consumed == 0 && lag == 0 ? "idle" : "ok";
            stages.add(new Stage(stage, group, instances, state, input, lag, consumed / seconds, verdict));
        }
        long windows = second.ends(Topics.STATS.name(prefix)) - first.ends(Topics.STATS.name(prefix));
        stages.add(new Stage(
                "display",
                null,
                -1,
                "reads " + Topics.STATS.name(prefix) + " and " + Topics.ALERTS.name(prefix) + " itself (no group)",
                Topics.STATS.name(prefix),
                -1,
                windows / seconds,
                "unknown"));
        return stages;
    }

    /**
     * Instances behind a group's members: a Kafka Streams instance joins with a member per stream thread, named
     * {@code <client>-StreamThread-N-consumer} (counted once per client); any other member is an instance.
     */
    static int instances(java.util.Collection<MemberDescription> members) {
        Set<String> instances = new HashSet<>();
        for (MemberDescription member : members) {
            String client = member.clientId();
            String streamsClient = client.replaceFirst("-StreamThread-\\d+-consumer$", "");
            instances.add(streamsClient.equals(client) ? "member:" + member.consumerId() : "streams:" + streamsClient);
        }
        return instances.size();
    }

    private static Map<String, ConsumerGroupDescription> describe(Admin admin, java.util.Collection<String> groups)
            throws Exception {
        Map<String, ConsumerGroupDescription> described = new HashMap<>();
        for (var entry : admin.describeConsumerGroups(groups).describedGroups().entrySet()) {
            try {
                ConsumerGroupDescription d = entry.getValue().get(CALL_SECONDS, TimeUnit.SECONDS);
                if (d.groupState() != GroupState.DEAD) {
                    described.put(entry.getKey(), d);
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
        }
        return described;
    }

    /**
     * End offsets (of committed records) and each group's committed offsets, at one moment; {@code counted}: for a
     * group and partition a few offsets behind, the records there (transaction markers take offsets too: a caught
     * up exactly-once stage is often an offset or two behind the end, with nothing to consume).
     */
    private record Look(
            long at,
            Map<TopicPartition, Long> ends,
            Map<String, Map<TopicPartition, Long>> committed,
            Map<String, Map<TopicPartition, Long>> counted) {

        long ends(String topic) {
            return ends.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }

        long committed(String group, String topic) {
            return committed.getOrDefault(group, Map.of()).entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }

        /** What the group has yet to consume of the topic; a partition it never committed counts from 0. */
        long lag(String group, String topic) {
            Map<TopicPartition, Long> offsets = committed.getOrDefault(group, Map.of());
            Map<TopicPartition, Long> exact = counted.getOrDefault(group, Map.of());
            long lag = 0;
            for (var end : ends.entrySet()) {
                if (end.getKey().topic().equals(topic)) {
                    lag += exact.getOrDefault(
                            end.getKey(), Math.max(0, end.getValue() - offsets.getOrDefault(end.getKey(), 0L)));
                }
            }
            return lag;
        }
    }

    private static Look look(
            Admin admin, Consumer<byte[], byte[]> reader, List<String> topics, java.util.Collection<String> groups)
            throws InterruptedException, ExecutionException, TimeoutException {
        long at = System.nanoTime();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        if (!topics.isEmpty()) {
            admin.describeTopics(topics)
                    .allTopicNames()
                    .get(CALL_SECONDS, TimeUnit.SECONDS)
                    .forEach((name, d) -> d.partitions()
                            .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        // Read committed: the end a consumer of committed records reaches (an open transaction is not lag).
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(CALL_SECONDS, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
        for (String group : groups) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> got = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(CALL_SECONDS, TimeUnit.SECONDS);
            got.forEach((tp, o) -> {
                if (o != null) {
                    offsets.put(tp, o.offset());
                }
            });
            committed.put(group, offsets);
        }
        Map<String, Map<TopicPartition, Long>> counted = new HashMap<>();
        for (var group : committed.entrySet()) {
            Map<TopicPartition, long[]> ranges = new HashMap<>();
            group.getValue().forEach((tp, offset) -> {
                Long end = ends.get(tp);
                if (end != null && end > offset && end - offset < COUNT_BELOW) {
                    ranges.put(tp, new long[] {offset, end});
                }
            });
            counted.put(group.getKey(), count(reader, ranges));
        }
        return new Look(at, ends, committed, counted);
    }

    /** The committed records in each partition's range [from, to), read with {@code reader} (read_committed). */
    static Map<TopicPartition, Long> count(Consumer<byte[], byte[]> reader, Map<TopicPartition, long[]> ranges) {
        Map<TopicPartition, Long> counts = new HashMap<>();
        if (ranges.isEmpty()) {
            return counts;
        }
        reader.assign(ranges.keySet());
        ranges.forEach((tp, range) -> {
            reader.seek(tp, range[0]);
            counts.put(tp, 0L);
        });
        Set<TopicPartition> open = new HashSet<>(ranges.keySet());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < ranges.get(tp)[1]) {
                    counts.merge(tp, 1L, Long::sum);
                }
            }
            open.removeIf(tp -> reader.position(tp) >= ranges.get(tp)[1]);
        }
        for (TopicPartition tp : open) {
            counts.put(tp, ranges.get(tp)[1] - ranges.get(tp)[0]); // not read in time: the offsets, as they are
        }
        reader.assign(List.of());
        return counts;
    }
}
