package io.httpmon.common;

import io.httpmon.common.config.IntSettingOptions;
import java.io.PrintWriter;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    private Cli() {}

    /** Builds the command line with httpmon's error handling. */
    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        if (command instanceof IntSettingOptions.Taking taking) {
            taking.settings().addTo(cli);
        }
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
        AtomicBoolean returned = new AtomicBoolean();
        RUN.set(returned);
        try {
            return commandLine(command).execute(args);
        } finally {
            returned.set(true);
            RUN.remove();
        }
    }

    /** Set once the command {@link #run} is running on this thread has returned (see {@link #stopOnShutdown}). */
    private static final ThreadLocal<AtomicBoolean> RUN = new ThreadLocal<>();

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
        Throwable bug = bug(ex);
        if (bug != null) {
            // Not the input, the config or Kafka: say it is ours, and where, so that the one line is a useful report.
            StackTraceElement[] trace = bug.getStackTrace();
            String where = trace.length == 0
                    ? ""
                    : " at " + trace[0].getClassName() + "." + trace[0].getMethodName()
                            + (trace[0].getLineNumber() > 0 ? ":" + trace[0].getLineNumber() : "");
            return "internal error, a bug in httpmon: " + bug.getClass().getSimpleName()
                    + (bug.getMessage() == null ? "" : ": " + bug.getMessage()) + where
                    + " (please report it; -Dhttpmon.log.level=DEBUG prints the whole trace)";
        }
        String text = ex.getMessage();
        return (text == null ? ex.getClass().getSimpleName() : text)
                + " (run with -Dhttpmon.log.level=DEBUG for details)";
    }

    /** The first of {@code ex}'s causes that only a programming error throws, or null. */
    private static Throwable bug(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof IndexOutOfBoundsException
                    || t instanceof NullPointerException
                    || t instanceof ClassCastException
                    || t instanceof ArithmeticException
                    || t instanceof ArrayStoreException
                    || t instanceof NegativeArraySizeException
                    || t instanceof java.util.ConcurrentModificationException
                    || t instanceof AssertionError) {
                return t;
            }
        }
        return null;
    }

    /** {@code --version}: the version the jar was built as. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"httpmon " + (version == null ? "development build" : version)};
        }
    }

    private static final CountDownLatch finished = new CountDownLatch(1);
    private static volatile boolean shuttingDown;
    private static volatile boolean exiting;
    private static volatile int exitCode;

    /**
     * Makes SIGTERM and Ctrl-C finish the current batch: the hook signals {@code stop}, waits for the service to
     * commit, close and reach {@link #exit}, then ends the JVM with the service's exit code (0 after a clean stop,
     * where a plain signal exit would give 143).
     */
    public static void stopOnShutdown(StopSignal stop) {
        AtomicBoolean returned = RUN.get() == null ? new AtomicBoolean() : RUN.get();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (exiting) {
                                return; // the service finished and called exit itself: let the other hooks (JFR,
                                // logging) run
                            }
                            // A command that returned already is about to call exit (a main), or never will (run
                            // in-process, as the tests do): a second for it, not the 30 s a running service gets.
                            long patience = returned.get() ? 1 : 30;
                            shuttingDown = true;
                            stop.stop();
                            try {
                                if (finished.await(patience, TimeUnit.SECONDS)) {
                                    Runtime.getRuntime().halt(exitCode);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "httpmon-shutdown"));
    }

    /** Whether a signal (SIGTERM, Ctrl-C) has begun the JVM's shutdown. */
    public static boolean shuttingDown() {
        return shuttingDown;
    }

    /** Ends a service's {@code main}: exits with {@code code}, or hands it to the shutdown hook if one is running. */
    public static void exit(int code) {
        exitCode = code;
        finished.countDown();
        if (!shuttingDown) {
            exiting = true;
            System.exit(code);
        }
    }
}
