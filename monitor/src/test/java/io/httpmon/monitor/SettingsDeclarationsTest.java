package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.alert.AlertCommand;
import io.httpmon.common.Cli;
import io.httpmon.common.config.IntSetting;
import io.httpmon.common.config.IntSettings;
import io.httpmon.parser.ParserCommand;
import io.httpmon.stats.StatsCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The settings are declared once ({@link IntSettings}); what people read about them (each command's help, README's
 * configuration table, config_template.cfg) says the same defaults.
 */
class SettingsDeclarationsTest {

    @Test
    void everyCommandTakesEachOfItsSettingsAsDeclaredWithTheDeclaredHelp() {
        Map<String, List<IntSetting>> taken = new TreeMap<>();
        for (Object command :
                List.of(new MonitorCommand(), new StatsCommand(), new AlertCommand(), new ParserCommand())) {
            CommandLine cli = Cli.commandLine(command);
            for (IntSetting s : IntSettings.ALL) {
                OptionSpec option = cli.getCommandSpec().findOption(s.option());
                if (option == null) {
                    continue;
                }
                taken.computeIfAbsent(cli.getCommandName(), c -> new ArrayList<>())
                        .add(s);
                String help = String.join(" ", option.description());
                assertTrue(
                        help.contains("Default: " + s.defaultValue()),
                        cli.getCommandName() + " " + s.option() + ": " + help);
                if (s != IntSettings.PARTITIONS) { // the Kafka options' mixin, where it says so itself
                    assertEquals(String.join(" ", s.optionSpec().description()), help, s.option());
                }
            }
        }
        assertEquals(
                List.of(
                        IntSettings.INTERVAL,
                        IntSettings.TOP,
                        IntSettings.GRACE,
                        IntSettings.MAX_LATENESS,
                        IntSettings.MAX_FUTURE,
                        IntSettings.SOURCE_IDLE,
                        IntSettings.PARTITIONS),
                taken.get("httpmon"),
                "the monitor takes every window setting on its command line");
        assertEquals(List.of(IntSettings.GRACE, IntSettings.SOURCE_IDLE, IntSettings.PARTITIONS), taken.get("alert"));
        assertEquals(List.of(IntSettings.MAX_FUTURE, IntSettings.PARTITIONS), taken.get("parser"));
    }

    @Test
    void readmeAndTheTemplateGiveTheDeclaredDefaults() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String template = Files.readString(Path.of("..", "config_template.cfg"));
        for (IntSetting s : IntSettings.ALL) {
            Matcher row =
                    Pattern.compile("\\| `" + s.key() + "` \\| `([^`]*)` \\|").matcher(readme);
            assertTrue(row.find(), "README's table has " + s.key());
            assertEquals(Integer.toString(s.defaultValue()), row.group(1), "README: " + s.key());
            Matcher line = Pattern.compile("(?m)^#? ?" + s.key() + " = (\\S+)$").matcher(template);
            assertTrue(line.find(), "config_template.cfg has " + s.key());
            assertEquals(Integer.toString(s.defaultValue()), line.group(1), "config_template.cfg: " + s.key());
        }
    }
}
