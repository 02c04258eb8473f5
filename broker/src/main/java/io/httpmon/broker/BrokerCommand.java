package io.httpmon.broker;

import io.httpmon.common.Cli;
import io.httpmon.common.StopSignal;
import io.httpmon.common.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code httpmon broker}: runs the single-node KRaft broker until Ctrl-C or SIGTERM. */
@Command(name = "broker", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Runs a single-node Apache Kafka broker (KRaft, no ZooKeeper) for httpmon on this machine.")
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:HTTPMON_BROKER_PORT:-9092}",
            description = "Client port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the broker keeps its data; reused after a "
            + "restart. Default: $XDG_STATE_HOME/httpmon/broker (~/.local/state/httpmon/broker).")
    Path dataDir;

    @Option(names = "--listen-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (loopback only).")
    String listenAddress;

    public static void main(String[] args) {
        Cli.exit(Cli.run(new BrokerCommand(), args));
    }

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535, got " + port);
        }
        Path dir = dataDir != null ? dataDir : defaultDataDir();
        StopSignal stop = new StopSignal();
        Cli.stopOnShutdown(stop);
        try (KafkaBroker broker = KafkaBroker.start(dir, listenAddress, port, Duration.ofSeconds(60))) {
            spec.commandLine().getOut().printf("Kafka broker ready at %s (data in %s)%n",
                    broker.bootstrapServers(), dir.toAbsolutePath());
            spec.commandLine().getOut().flush();
            while (!stop.sleep(Duration.ofDays(1))) {
                // run until stopped
            }
        }
        return Cli.EXIT_OK;
    }

    /** The user's state directory, as the XDG base-directory spec defines it. */
    public static Path defaultDataDir() {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank()
                ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("httpmon").resolve("broker");
    }
}
