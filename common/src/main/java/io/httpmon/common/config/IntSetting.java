package io.httpmon.common.config;

import io.httpmon.common.UsageException;
import java.util.Map;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One whole-number setting, declared once (see {@link IntSettings}): its config key, command-line option, environment
 * variable, default and limits. Every command and the monitor resolve it with {@link #resolve}, in the one order
 * (command line, environment, file, default), and the limits hold wherever the value came from.
 *
 * @param section the config file's section ({@code Stats})
 * @param key the key in it ({@code grace})
 * @param option the command-line option of the services that have one ({@code --grace})
 * @param env the environment variable ({@code HTTPMON_GRACE})
 * @param defaultValue the value when nothing sets it
 * @param min the smallest value accepted
 * @param max the largest value accepted
 * @param accepted what a mistake's message says is accepted
 * @param paramLabel the option's parameter in the help ({@code SECONDS})
 * @param help what the option's help says it does (the environment variable and the default are added)
 */
public record IntSetting(
        String section,
        String key,
        String option,
        String env,
        int defaultValue,
        int min,
        int max,
        String accepted,
        String paramLabel,
        String help) {

    /** The command-line option of this setting, its help made from this declaration. */
    public OptionSpec optionSpec() {
        return OptionSpec.builder(option)
                .paramLabel(paramLabel)
                .type(Integer.class)
                .description(help + " (env " + env + ", [" + section + "] " + key + ") Default: " + defaultValue + ".")
                .build();
    }

    /** The value of a config file's text; IllegalArgumentException when it is not one. */
    public int parse(String text) {
        int value = Integer.parseInt(text.strip());
        if (value < min || value > max) {
            throw new IllegalArgumentException(text);
        }
        return value;
    }

    /**
     * The value: {@code commandLine} if given, else the environment's, else {@code file} (checked when read), else
     * the default. A value out of limits or not a number is a {@link UsageException} naming where it came from.
     */
    public int resolve(Integer commandLine, Map<String, String> environment, Integer file) {
        if (commandLine != null) {
            return checked(commandLine, option);
        }
        String fromEnv = Precedence.env(environment, env);
        if (fromEnv != null) {
            try {
                return parse(fromEnv);
            } catch (IllegalArgumentException e) {
                throw new UsageException(env + "=" + fromEnv + ": expected " + accepted);
            }
        }
        return file != null ? file : defaultValue;
    }

    private int checked(int value, String where) {
        if (value < min || value > max) {
            throw new UsageException(where + " " + value + ": expected " + accepted);
        }
        return value;
    }
}
