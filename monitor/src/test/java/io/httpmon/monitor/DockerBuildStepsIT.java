package io.httpmon.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's Maven steps, as the Dockerfile runs them ({@code docker/build-steps.sh}), without a Docker engine:
 * the dependency step on the POMs the Dockerfile copies (and nothing else), into an empty local repository, then
 * the build offline on the whole tree against what that step left. So the cached layer holds everything a source
 * change needs (the old {@code dependency:go-offline} stopped at an unpublished optional artifact, holding not even
 * kafka-clients, and every build downloaded the world again), and a module missing from the Dockerfile's list, or
 * a step that cannot resolve something, fails here by name. Maven Central is stood in for by this machine's local
 * repository (a {@code file:} mirror), so the test needs no network; the Maven on the PATH is the build's.
 */
@Tag("long") // two Maven runs of the whole project: about two minutes, the long profile (.ci/run)
class DockerBuildStepsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern COPY_POM = Pattern.compile("(?m)^COPY\\s+(\\S*pom\\.xml)\\s+\\S+\\s*$");

    @TempDir
    Path dir;

    @BeforeAll
    static void mavenIsHere() {
        assumeTrue(onPath("mvn"), "no mvn on the PATH: the image's Maven steps cannot be run here");
    }

    @Test
    void theDependencyLayerHoldsEverythingTheOfflineBuildNeeds() throws Exception {
        Path repo = dir.resolve("repository");
        Path settings = mirrorSettings();
        Path poms = dir.resolve("poms");
        List<String> copied = copyPomsAsTheDockerfileDoes(poms);
        assertTrue(copied.size() >= 2, "the Dockerfile copies the POMs before the sources: " + copied);

        Run deps = run(poms, "dependencies", repo, settings);
        assertEquals(0, deps.code, "the dependency step:\n" + deps.output);
        assertTrue(
                Files.exists(repo.resolve("org/apache/kafka/kafka-clients")),
                "the layer holds the libraries, not only Maven's plugins");
        try (var left = Files.list(poms)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().equals("target")), "its output thrown away");
        }

        Path tree = dir.resolve("tree");
        copyTreeAsDockerDoes(tree);
        Run build = run(tree, "build", repo, settings);
        assertEquals(0, build.code, "the offline build against the layer:\n" + build.output);
        assertTrue(Files.isRegularFile(tree.resolve("monitor/target/httpmon.jar")), "the image's jar");
        try (var lib = Files.list(tree.resolve("monitor/target/lib"))) {
            assertTrue(lib.anyMatch(p -> p.getFileName().toString().startsWith("kafka-streams-")), "and its libraries");
        }
    }

    @Test
    void aDependencyTheStepCannotResolveFailsItByName() throws Exception {
        Path poms = dir.resolve("poms");
        copyPomsAsTheDockerfileDoes(poms);
        Path common = poms.resolve("common/pom.xml");
        String pom = Files.readString(common);
        Files.writeString(
                common,
                pom.replaceFirst(
                        "<dependencies>",
                        "<dependencies><dependency><groupId>io.httpmon.missing</groupId>"
                                + "<artifactId>never-published</artifactId><version>9.9.9</version></dependency>"));

        Run deps = run(poms, "dependencies", dir.resolve("repository"), mirrorSettings());
        assertNotEquals(0, deps.code, "the step fails, so the image build stops here:\n" + deps.output);
        assertTrue(deps.output.contains("never-published"), "naming what is missing:\n" + deps.output);
    }

    /** The POMs the Dockerfile copies before its dependency step, and the step's script, at the same paths. */
    private static List<String> copyPomsAsTheDockerfileDoes(Path into) throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertTrue(
                dockerfile.contains("RUN docker/build-steps.sh dependencies")
                        && dockerfile.contains("RUN docker/build-steps.sh build"),
                "the Dockerfile runs the steps this test runs");
        List<String> poms = new ArrayList<>();
        Matcher m = COPY_POM.matcher(dockerfile.substring(0, dockerfile.indexOf("RUN docker/build-steps.sh")));
        while (m.find()) {
            poms.add(m.group(1));
        }
        for (String pom : poms) {
            copy(ROOT.resolve(pom), into.resolve(pom));
        }
        copy(ROOT.resolve("docker/build-steps.sh"), into.resolve("docker/build-steps.sh"));
        return poms;
    }

    /** What {@code COPY . .} brings in: the tree without what .dockerignore leaves out (build output, logs, git). */
    private static void copyTreeAsDockerDoes(Path into) throws IOException {
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                String name = d.getFileName() == null ? "" : d.getFileName().toString();
                Path relative = ROOT.relativize(d);
                boolean ignored = name.equals("target")
                        || name.equals(".git")
                        || name.equals("logs")
                        || relative.equals(Path.of("bench", "work"))
                        || relative.equals(Path.of("bench", "results"));
                return ignored && !d.equals(ROOT) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && !f.getFileName().toString().endsWith(".log")) {
                    copy(f, into.resolve(ROOT.relativize(f).toString()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
    }

    /** Maven's settings: every repository served from this machine's local repository, as Central would. */
    private Path mirrorSettings() throws IOException {
        String local = System.getProperty("httpmon.maven.repository", "");
        Path repository =
                local.isBlank() ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(local);
        Path settings = dir.resolve("settings.xml");
        Files.writeString(
                settings,
                "<settings><mirrors><mirror><id>central-stand-in</id><mirrorOf>*</mirrorOf><url>" + repository.toUri()
                        + "</url></mirror></mirrors></settings>\n");
        return settings;
    }

    private record Run(int code, String output) {}

    private Run run(Path in, String step, Path repository, Path settings) throws Exception {
        Path output = Files.createTempFile(dir, step, ".out");
        Process process = new ProcessBuilder(
                        "bash",
                        "docker/build-steps.sh",
                        step,
                        "-Dmaven.repo.local=" + repository,
                        "-s",
                        settings.toString())
                .directory(in.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Run(process.isAlive() ? -1 : process.exitValue(), Files.readString(output));
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
