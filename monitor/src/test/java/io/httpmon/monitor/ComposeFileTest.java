package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** docker-compose.yml is valid for Debian's docker-compose, and its scalable services can scale. */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");

    @Test
    void passesDockerComposeConfig() throws Exception {
        assumeTrue(
                onPath("docker-compose"),
                "docker-compose is not installed (apt-get install docker-compose); " + ".ci/run installs it");
        Result check = compose("config", "-q");
        assertEquals(0, check.exit(), check.output());
        Result services = compose("config", "--services");
        assertEquals(0, services.exit(), services.output());
        assertEquals(
                Set.of(
                        "kafka",
                        "reader-service",
                        "parser-service",
                        "stats-service",
                        "alert-service",
                        "display-service"),
                new TreeSet<>(services.output().lines().map(String::strip).toList()));
    }

    @Test
    void noFixedNamesOrHostPortsSoServicesScaleAndOnlyTheDashboardIsPublishedOnLoopback() throws IOException {
        String text = Files.readString(COMPOSE_FILE);
        assertFalse(text.contains("container_name"), "container_name stops --scale");
        // Which service each "ports:" belongs to: the last two-space-indented key before it.
        String service = null;
        List<String> published = new java.util.ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.matches("  [a-z][a-z-]*:\\s*")) {
                service = line.strip().replace(":", "");
            }
            if (line.strip().startsWith("ports:")) {
                published.add(service + " " + lines.get(i + 1).strip());
            }
        }
        assertEquals(
                List.of("display-service - \"127.0.0.1:8080:8080\""),
                published,
                "a fixed host port stops --scale: only the display (one instance) publishes its dashboard, on "
                        + "this machine only");
    }

    record Result(int exit, String output) {}

    private static Result compose(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("docker-compose", "-f", COMPOSE_FILE.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null
                && java.util.Arrays.stream(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
