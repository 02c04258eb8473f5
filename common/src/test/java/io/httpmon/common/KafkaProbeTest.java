package io.httpmon.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** What a "waiting for Kafka" line says is wrong, for each way an address can fail. */
class KafkaProbeTest {

    @Test
    void eachAddressSaysWhatIsWrongWithIt() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (ServerSocket notKafka = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int open = notKafka.getLocalPort();
            assertEquals(
                    "kafka.invalid:9092: unknown host (not in DNS or /etc/hosts); "
                            + "127.0.0.1:" + closed + ": connection refused (nothing listens there); "
                            + "127.0.0.1:" + open + ": accepts connections but does not answer as Kafka (still "
                            + "starting, another service, or a listener that wants TLS or SASL: see --kafka-config)",
                    KafkaProbe.diagnose("kafka.invalid:9092, 127.0.0.1:" + closed + ",127.0.0.1:" + open));
        }
        assertEquals("kafka: not HOST:PORT", KafkaProbe.diagnose("kafka"));
    }
}
