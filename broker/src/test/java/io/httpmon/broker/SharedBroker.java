package io.httpmon.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension giving every integration test in a JVM the same real broker: started before the first test
 * class that uses it, stopped when the test run ends. Tests keep apart by unique topic prefixes and group ids.
 */
public final class SharedBroker implements BeforeAllCallback {

    private static KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        synchronized (SharedBroker.class) {
            if (broker == null) {
                Path dir = Files.createTempDirectory("httpmon-it-broker");
                broker = KafkaBroker.start(dir, "127.0.0.1", 0, Duration.ofSeconds(90));
                context.getRoot()
                        .getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(SharedBroker.class.getName(), (AutoCloseable) SharedBroker::shutdown);
            }
        }
    }

    private static synchronized void shutdown() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker's bootstrap address. */
    public static String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedBroker.class)");
        }
        return broker.bootstrapServers();
    }

    /** A topic prefix no other test uses. */
    public static String uniquePrefix(String testName) {
        return "it-" + testName + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }
}
