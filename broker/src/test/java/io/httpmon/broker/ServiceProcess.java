package io.httpmon.broker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service run as its own JVM from its runnable jar, as in production, so a test can kill it with SIGKILL.
 * Its stdout and stderr go to a file under {@code target/} for the test report.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ServiceProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code java -jar jar args...} with a small heap. */
    public static ServiceProcess start(Path jar, String name, List<String> args) throws IOException {
        return start(jar, name, "-Xmx256m", args);
    }

    /** Starts {@code java HEAP -jar jar args...}. */
    public static ServiceProcess start(Path jar, String name, String heap, List<String> args) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package'");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap);
        // Tests: C1 only, quicker to start on 2 cores. Benchmarks set the property to "" (the JIT as deployed).
        for (String flag : System.getProperty("httpmon.service.jvm.flags", "-XX:TieredStopAtLevel=1")
                .split(" ")) {
            if (!flag.isBlank()) {
                command.add(flag);
            }
        }
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        Path logs = Path.of("target", "service-logs");
        Files.createDirectories(logs);
        Path output = logs.resolve(name + "-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new ServiceProcess(process, output);
    }

    /** Starts another program (a real part: Prometheus), its output to a file as a service's. */
    public static ServiceProcess startCommand(List<String> command, String name) throws IOException {
        Path logs = Path.of("target", "service-logs");
        Files.createDirectories(logs);
        Path output = logs.resolve(name + "-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new ServiceProcess(process, output);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** Waits for the process to end by itself; -1 if it has not within the time. */
    public int waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** CPU time the process has used so far (user and system), as the OS counts it; zero once it has ended. */
    public java.time.Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
