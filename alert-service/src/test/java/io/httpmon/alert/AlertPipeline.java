package io.httpmon.alert;

import io.httpmon.common.Topics;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.model.AlertEvent;
import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.RequestBatch;
import io.httpmon.common.testing.TestRequest;
import io.httpmon.windowing.testing.PipelineDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.TestOutputTopic;

/**
 * alert-service's topology under test: requests in, rules changed on their topic as {@code httpmon rules} does, the
 * transitions out. The helpers the alert tests share.
 */
final class AlertPipeline implements AutoCloseable {

    static final String PREFIX = "t.";

    final PipelineDriver driver;
    final Rules rules;
    final TestOutputTopic<String, AlertEvent> alerts;
    private final Instant t0;

    /** The topology with the rules of the config file {@code configured}, then {@code applied} on the rules topic. */
    AlertPipeline(Path stateDir, Instant t0, Instant wallClock, List<AlertRule> configured, List<AlertRule> applied) {
        this(stateDir, t0, wallClock, configured, applied, io.httpmon.windowing.Durability.RESTARTABLE);
    }

    /** The same, its state kept as {@code durability} says. */
    AlertPipeline(
            Path stateDir,
            Instant t0,
            Instant wallClock,
            List<AlertRule> configured,
            List<AlertRule> applied,
            io.httpmon.windowing.Durability durability) {
        this.t0 = t0;
        AlertSettings settings = new AlertSettings(configured, Duration.ofSeconds(2), Duration.ofSeconds(1));
        driver = new PipelineDriver(AlertTopology.build(PREFIX, settings, durability), PREFIX, stateDir, wallClock);
        rules = new Rules(driver.driver(), PREFIX);
        rules.apply(applied);
        alerts = driver.output(Topics.ALERTS);
    }

    /** {@code count} requests in second {@code second} after t0 (1 ms apart) with this status, on this path: a batch. */
    void requests(long second, int count, int status, String path) {
        long t = t0.plusSeconds(second).toEpochMilli();
        List<HttpRequest> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(TestRequest.at(t + i).host("h").get(path).status(status).build());
        }
        if (!batch.isEmpty()) {
            driver.send(new RequestBatch(t, 0, batch));
        }
    }

    /** Per second from t0, that many 200s on {@code /}. */
    void perSecond(int... counts) {
        for (int s = 0; s < counts.length; s++) {
            requests(s, counts[s], 200, "/");
        }
    }

    /** The end of input, stamped now (replay: every second is final). */
    void endOfInput() {
        driver.endOfInput(Instant.now());
    }

    /** The transitions so far (not the end-of-input marker). */
    List<AlertEvent> events() {
        return alerts.readValuesToList().stream().filter(Objects::nonNull).toList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
