package io.httpmon.common.config;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command-line options of some whole-number settings, made from their declarations ({@link IntSetting}), so the
 * monitor and every service take the same option with the same help, limits and precedence. A command that takes
 * some implements {@link Taking}; {@link io.httpmon.common.Cli#commandLine} adds them.
 */
public final class IntSettingOptions {

    /** A command that takes whole-number settings on its command line. */
    public interface Taking {
        IntSettingOptions settings();
    }

    private final CommandSpec options = CommandSpec.create();

    public IntSettingOptions(IntSetting... settings) {
        for (IntSetting setting : settings) {
            options.addOption(setting.optionSpec());
        }
    }

    /** Adds the options to {@code cli} (once, before it parses). */
    public void addTo(CommandLine cli) {
        cli.addMixin("settings", options);
    }

    /**
     * The setting's value by {@link IntSetting#resolve}: this command line's, else the environment's, else
     * {@code file}, else the default.
     */
    public int resolve(IntSetting setting, Map<String, String> environment, Integer file) {
        OptionSpec option = options.findOption(setting.option());
        if (option == null) {
            throw new IllegalArgumentException(setting.option() + " is not an option of this command");
        }
        Integer commandLine = option.getValue();
        return setting.resolve(commandLine, environment, file);
    }
}
