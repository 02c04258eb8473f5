package io.httpmon.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {

    @Test
    void keepsCommittedRecordsAcrossARestartWithTheSameDataDir(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir, "127.0.0.1", 0, Duration.ofSeconds(90))) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("durable", 1, (short) 1)))
                        .all()
                        .get();
            }
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kafka-broker-it");
            try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("durable", "k", "survives"));
                producer.commitTransaction();
            }
        }
        try (KafkaBroker again = KafkaBroker.start(dir, "127.0.0.1", 0, Duration.ofSeconds(90))) {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers());
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("durable", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<String> values = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        values.add(r.value());
                    }
                }
                assertEquals(List.of("survives"), values);
            }
        }
    }

    /**
     * Every socket this JVM listens on while the broker runs (client and controller ports) is bound to loopback:
     * nothing is reachable from the network unless asked for. Reads Linux's socket tables, so Linux only.
     */
    @Test
    void listensOnLoopbackOnly(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp to list listening sockets");
        try (KafkaBroker broker = KafkaBroker.start(dir, "127.0.0.1", 0, Duration.ofSeconds(90))) {
            Set<String> ownSockets = new HashSet<>();
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                fds.forEach(fd -> {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            ownSockets.add(target.substring(8, target.length() - 1));
                        }
                    } catch (java.io.IOException gone) {
                        // the descriptor closed while listing
                    }
                });
            }
            List<String> listening = new ArrayList<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                if (!Files.isReadable(Path.of(table))) {
                    continue;
                }
                List<String> rows = Files.readAllLines(Path.of(table));
                for (String line : rows.subList(1, rows.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f[3].equals("0A") && ownSockets.contains(f[9])) { // 0A: LISTEN
                        listening.add(f[1]);
                    }
                }
            }
            String port = String.format(
                    "%04X", Integer.parseInt(broker.bootstrapServers().split(":")[1]));
            assertTrue(listening.stream().anyMatch(a -> a.endsWith(":" + port)), "client port listed: " + listening);
            assertTrue(listening.size() >= 2, "client and controller ports: " + listening);
            for (String address : listening) {
                String ip = address.split(":")[0];
                // 127.0.0.1 in tcp; ::1 or ::ffff:127.0.0.1 in tcp6
                assertTrue(
                        ip.equals("0100007F")
                                || ip.equals("00000000000000000000000001000000")
                                || ip.equals("0000000000000000FFFF00000100007F"),
                        "listens beyond loopback: " + address + " in " + listening);
            }
        }
    }
}
