package io.httpmon.common;

import java.io.PrintWriter;
import java.util.concurrent.CancellationException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;

/**
 * Runs a picocli command the same way for every service: one-line errors, never a stack trace as the answer.
 * Exit codes: 0 done, 1 failed while running, 2 bad command line or configuration.
 */
public final class Cli {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    private static final Logger log = LoggerFactory.getLogger(Cli.class);

    private Cli() {
    }

    /** Builds the command line with httpmon's error handling. */
    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println(failed.getCommandName() + ": " + ex.getMessage());
            err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            PrintWriter err = failed.getErr();
            int code = exitCode(ex);
            err.println(failed.getCommandName() + ": " + message(ex));
            err.flush();
            log.debug("{} failed", failed.getCommandName(), ex);
            return code;
        });
        return cli;
    }

    /** Parses and runs {@code command}, returning its exit code. */
    public static int run(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof UsageException || ex instanceof CommandLine.ParameterException) {
            return EXIT_USAGE;
        }
        return EXIT_FAILED;
    }

    static String message(Throwable ex) {
        if (ex instanceof UsageException || ex instanceof KafkaAccessException) {
            return ex.getMessage();
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException) {
                return "Kafka authentication failed: " + t.getMessage();
            }
        }
        if (ex instanceof CancellationException) {
            return "stopped";
        }
        String text = ex.getMessage();
        return (text == null ? ex.getClass().getSimpleName() : text) + " (run with -Dhttpmon.log.level=DEBUG for details)";
    }

    /** {@code --version}: the version the jar was built as. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"httpmon " + (version == null ? "development build" : version)};
        }
    }

    /**
     * Makes SIGTERM and Ctrl-C finish the current batch: the hook signals {@code stop} and then waits for the
     * service thread to commit and close before the JVM exits.
     */
    public static void stopOnShutdown(StopSignal stop) {
        Thread serviceThread = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.stop();
            try {
                serviceThread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "httpmon-shutdown"));
    }
}
