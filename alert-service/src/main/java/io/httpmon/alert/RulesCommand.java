package io.httpmon.alert;

import io.httpmon.common.Cli;
import io.httpmon.common.DefinitionCommands;
import io.httpmon.common.KafkaOptions;
import io.httpmon.common.RuleTopic;
import io.httpmon.common.Topics;
import io.httpmon.common.UsageException;
import io.httpmon.common.config.AlertRule;
import io.httpmon.common.config.FileConfig;
import io.httpmon.common.model.RuleDefinition;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code httpmon rules}: the alert rules on the {@code alert-rules} topic, listed and changed while everything runs.
 * alert-service takes a change in from the next second of event time it evaluates.
 */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "The alert rules alert-service evaluates: list them, apply a config file's, delete one. "
                + "A change takes effect from the next second of event time alert-service evaluates.",
        subcommands = {RulesCommand.ListRules.class, RulesCommand.Apply.class, RulesCommand.Delete.class})
public final class RulesCommand implements Callable<Integer> {

    public static void main(String[] args) {
        Cli.exit(Cli.run(new RulesCommand(), args));
    }

    @Override
    public Integer call() {
        throw new UsageException("say what to do: rules list, rules apply -c FILE, rules delete NAME");
    }

    /** Kafka from the options, the config's [Kafka] section, the environment; waits for the cluster. */
    static RuleTopic topic(KafkaOptions kafka, FileConfig file) {
        return DefinitionCommands.connect(kafka, file, Topics.ALERT_RULES, RuleTopic::new);
    }

    /** One line per rule, as people read it. */
    static String describe(RuleDefinition d) {
        AlertRule r = d.rule();
        StringBuilder s = new StringBuilder(r.name())
                .append(": ")
                .append(r.kind().key())
                .append(' ')
                .append(AlertMessages.value(r, r.threshold()));
        if (r.kind() == AlertRule.Kind.LATENCY) {
            s.append(" ms at p").append(AlertMessages.number(r.quantile() * 100));
        } else if (r.kind() == AlertRule.Kind.CLIENT_RATE) {
            s.append("/s of one client");
        }
        if (!r.statuses().isEmpty()) {
            s.append(" of ").append(String.join("+", r.statuses()));
        }
        s.append(" over ").append(r.windowSeconds()).append(" s");
        if (r.section() != null) {
            s.append(", section ").append(r.section());
        }
        if (r.kind() == AlertRule.Kind.ERROR_RATIO || r.kind() == AlertRule.Kind.LATENCY) {
            s.append(", min_hits ").append(r.minHits());
        }
        if (r.kind() == AlertRule.Kind.CLIENT_RATE) {
            s.append(", max_alerts ").append(r.maxAlerts());
        }
        if (r.forSeconds() > 0) {
            s.append(", for ").append(r.forSeconds()).append(" s");
        }
        if (r.recover() != null) {
            s.append(r.kind() == AlertRule.Kind.LOW_TRAFFIC ? ", recover_above " : ", recover_below ")
                    .append(AlertMessages.value(r, r.recover()));
        }
        if (!r.labels().isEmpty()) {
            s.append(", labels ")
                    .append(r.labels().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(", ")));
        }
        return s.append(" [").append(d.source()).append(']').toString();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the rules in force.")
    static final class ListRules implements Callable<Integer> {
        @Mixin
        DefinitionCommands.Where kafka;

        @Override
        public Integer call() {
            Map<String, RuleDefinition> rules =
                    kafka.connect(Topics.ALERT_RULES, RuleTopic::new).read();
            if (rules.isEmpty()) {
                System.out.println("no alert rule");
            }
            rules.values().forEach(d -> System.out.println(describe(d)));
            return Cli.EXIT_OK;
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = "Puts the rules of a config file ([Alerts] and [Alert NAME] sections) in force: new ones "
                    + "added, changed ones replaced; others are left as they are.")
    static final class Apply implements Callable<Integer> {
        @Option(
                names = {"-c", "--config"},
                paramLabel = "FILE",
                required = true,
                description = "The config file whose rules to apply (checked first: a mistake changes nothing).")
        Path config;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            FileConfig file = FileConfig.read(config);
            if (file.rules() == null || file.rules().isEmpty()) {
                throw new UsageException(
                        config + ": no alert rule ([Alerts] NAME = THRESHOLD, SECONDS or " + "[Alert NAME] sections)");
            }
            topic(kafka, file).apply(file.rules()).forEach(System.out::println);
            return Cli.EXIT_OK;
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Deletes a rule; if it is firing, it resolves.")
    static final class Delete implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The rule's name.")
        String name;

        @Mixin
        DefinitionCommands.Where kafka;

        @Override
        public Integer call() {
            kafka.connect(Topics.ALERT_RULES, RuleTopic::new).delete(name);
            System.out.println(name + ": deleted");
            return Cli.EXIT_OK;
        }
    }
}
