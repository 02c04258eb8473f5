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
import java.util.List;
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
    void everyCommandsHelpGivesTheDeclaredDefault() {
        int checked = 0;
        for (Object command : List.of(new StatsCommand(), new AlertCommand(), new ParserCommand())) {
            CommandLine cli = Cli.commandLine(command);
            for (IntSetting s : IntSettings.ALL) {
                OptionSpec option = cli.getCommandSpec().findOption(s.option());
                if (option == null) {
                    continue;
                }
                String help = String.join(" ", option.description());
                assertTrue(
                        help.contains("Default: " + s.defaultValue()),
                        cli.getCommandName() + " " + s.option() + ": " + help);
                checked++;
            }
        }
        assertTrue(checked >= 7, "interval, top, grace, max-lateness, max-future and partitions are options");
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
