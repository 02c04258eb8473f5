package io.httpmon.common.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The {@code --http} option of a service: where it serves {@code /metrics} and {@code /health}, if anywhere. */
public final class HttpOption {

    private static final Logger log = LoggerFactory.getLogger(HttpOption.class);

    @Option(
            names = "--http",
            paramLabel = "[ADDR:]PORT",
            defaultValue = "${env:HTTPMON_HTTP}",
            description = "Serve Prometheus metrics at /metrics and readiness at /health on this address (env "
                    + "HTTPMON_HTTP; without ADDR 127.0.0.1). Default: none.")
    String http;

    /**
     * Starts serving when {@code --http} was given; closing the result stops it (a no-op when not serving).
     *
     * @throws io.httpmon.common.UsageException when the address is malformed or taken
     */
    public AutoCloseable serve(String service) {
        if (http == null || http.isBlank()) {
            return () -> {};
        }
        ServiceMetrics.export(service); // before the first scrape: the stage's counters read 0 until it runs
        OpsServer server = OpsServer.start(http);
        log.info("{}: metrics at {}metrics, health at {}health", service, server.url(), server.url());
        return server;
    }
}
