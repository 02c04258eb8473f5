package io.httpmon.stats;

import io.httpmon.common.Cli;
import io.httpmon.common.DefinitionCommands;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.MonitorTopic;
import io.httpmon.common.Topics;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.FileConfig;
import io.httpmon.common.model.MonitorDefinition;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code httpmon monitors}: the {@code [Stats NAME]} monitors on the {@code monitors} topic, listed and changed while
 * everything runs. stats-service counts a change from the next window on.
 */
@Command(
        name = "monitors",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "The statistics monitors stats-service counts: list them, apply a config file's [Stats NAME] "
                + "sections, delete one. A change is counted from the next window on, without a restart.",
        subcommands = {MonitorsCommand.ListMonitors.class, MonitorsCommand.Apply.class, MonitorsCommand.Delete.class})
public final class MonitorsCommand implements Callable<Integer> {

    public static void main(String[] args) {
        Cli.exit(Cli.run(new MonitorsCommand(), args));
    }

    @Override
    public Integer call() {
        throw new UsageException("say what to do: monitors list, monitors apply -c FILE, monitors delete NAME");
    }

    /** Kafka from the options, the config's [Kafka] section, the environment; waits for the cluster. */
    static MonitorTopic topic(KafkaOptions kafka, FileConfig file) {
        return DefinitionCommands.connect(kafka, file, Topics.MONITORS, MonitorTopic::new);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the monitors counted, as sections.")
    static final class ListMonitors implements Callable<Integer> {
        @Mixin
        DefinitionCommands.Where kafka;

        @Override
        public Integer call() {
            Map<String, MonitorDefinition> monitors =
                    kafka.connect(Topics.MONITORS, MonitorTopic::new).read();
            if (monitors.isEmpty()) {
                System.out.println("no monitor besides the default statistics");
            }
            monitors.values()
                    .forEach(d -> System.out.println("# " + d.source() + "\n"
                            + String.join(
                                    "\n",
                                    d.definition()
                                            .lines()
                                            .map(io.httpmon.common.ControlChars::escape)
                                            .toList())));
            return Cli.EXIT_OK;
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = "Puts the [Stats NAME] sections of a config file in force: new monitors added, changed ones "
                    + "replaced; others are left as they are.")
    static final class Apply implements Callable<Integer> {
        @Option(
                names = {"-c", "--config"},
                paramLabel = "FILE",
                required = true,
                description = "The config file whose monitors to apply (checked first: a mistake changes nothing).")
        Path config;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            FileConfig file = FileConfig.read(config);
            if (file.monitors().isEmpty()) {
                throw new UsageException(config + ": no monitor ([Stats NAME] sections)");
            }
            topic(kafka, file).apply(file.monitors()).forEach(System.out::println);
            return Cli.EXIT_OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a monitor.")
    static final class Delete implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The monitor's name.")
        String name;

        @Mixin
        DefinitionCommands.Where kafka;

        @Override
        public Integer call() {
            kafka.connect(Topics.MONITORS, MonitorTopic::new).delete(name);
            System.out.println(name + ": deleted");
            return Cli.EXIT_OK;
        }
    }
}
