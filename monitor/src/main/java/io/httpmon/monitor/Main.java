package io.httpmon.monitor;

import io.httpmon.common.Cli;
import io.httpmon.generator.GenerateCommand;
import java.util.Arrays;

/**
 * The jar's entry point: {@code generate ...} runs the log generator, {@code status} tells where each stage stands,
 * {@code requests dump} prints the parsed requests as JSON, anything else is the monitor.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("generate")) {
            Cli.exit(Cli.run(new GenerateCommand(), Arrays.copyOfRange(args, 1, args.length)));
        } else if (args.length > 0 && args[0].equals("status")) {
            StatusCommand.main(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length > 0 && args[0].equals("requests")) {
            RequestsCommand.main(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length > 0 && args[0].equals("monitor")) {
            MonitorCommand.main(Arrays.copyOfRange(args, 1, args.length));
        } else {
            MonitorCommand.main(args);
        }
    }
}
