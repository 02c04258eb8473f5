package io.httpmon.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFollowerTest {

    private static final int MAX_LINE = 1024;

    @TempDir
    Path dir;

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** What logrotate's copytruncate does: copy the log beside it, then cut the log to nothing. */
    private static void copyTruncate(Path log) throws IOException {
        Files.copy(log, log.resolveSibling(log.getFileName() + ".1"));
        Files.write(log, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * A follower whose clock moves 10 s at every look, so a rotated file is always quiet long enough to move on
     * ({@link FileFollower#ROTATION_QUIET}); the test below controls that clock itself.
     */
    private static FileFollower follower(Path log, FileFollower.Start start, FileFollower.Position saved) {
        AtomicLong clock = new AtomicLong();
        return new FileFollower(log, start, saved, MAX_LINE, () -> clock.addAndGet(10_000_000_000L));
    }

    /** Polls until a poll returns nothing new, collecting every line handed out. */
    private static List<String> drain(FileFollower follower) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            FileFollower.Chunk chunk = follower.poll(64);
            chunk.lines().forEach(l -> lines.add(new String(l.bytes(), StandardCharsets.UTF_8)));
            if (chunk.isEmpty() && round > 0) {
                break;
            }
        }
        return lines;
    }

    /** {@code text} gzip-compressed, each string of {@code members} a gzip member of its own (as {@code cat a.gz b.gz}). */
    private static Path gzip(Path file, String... members) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            for (String member : members) {
                var bytes = new java.io.ByteArrayOutputStream();
                try (var z = new java.util.zip.GZIPOutputStream(bytes)) {
                    z.write(member.getBytes(StandardCharsets.UTF_8));
                }
                out.write(bytes.toByteArray());
            }
        }
        return file;
    }

    @Test
    void aGzipArchiveIsReadWholeDecompressedWhateverItsNameAndStart() throws IOException {
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            first.append("line ").append(i).append('\n');
        }
        Path archive = gzip(dir.resolve("access.log.2"), first.toString(), "line 500\nline 501\n");
        try (FileFollower follower = follower(archive, FileFollower.Start.END, null)) {
            List<String> lines = drain(follower);
            assertEquals(502, lines.size(), "an archive cannot grow: read from its start, both members");
            assertEquals("line 0", lines.get(0));
            assertEquals("line 501", lines.get(501));
            assertEquals(List.of(), drain(follower));
        }
    }

    @Test
    void aGzipArchiveResumesAtItsSavedPositionInTheDecompressedBytes() throws IOException {
        Path archive = gzip(dir.resolve("a.gz"), "one\ntwo\nthree\nfour\n");
        FileFollower.Position afterTwo;
        try (FileFollower follower = follower(archive, FileFollower.Start.BEGINNING, null)) {
            FileFollower.Chunk chunk = follower.poll(64);
            assertEquals(4, chunk.lines().size());
            // as if the reader had committed its checkpoint after the second line
            afterTwo = new FileFollower.Position(
                    chunk.end().fileKey(),
                    chunk.end().openPath(),
                    chunk.lines().get(1).endOffset());
        }
        assertEquals(8, afterTwo.offset(), "decompressed bytes, not the compressed file's");
        try (FileFollower again = follower(archive, FileFollower.Start.BEGINNING, afterTwo)) {
            assertEquals(List.of("three", "four"), drain(again), "no line twice, none lost");
        }
    }

    @Test
    void startsAtTheEndByDefaultAndFollowsWhatIsAppended() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "old 1\nold 2\n");
        try (FileFollower follower = follower(log, FileFollower.Start.END, null)) {
            assertEquals(List.of(), drain(follower));
            append(log, "new 1\nnew 2\n");
            assertEquals(List.of("new 1", "new 2"), drain(follower));
        }
    }

    @Test
    void fromTheBeginningReadsEverything() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "a\nb\r\nc\n");
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            assertEquals(List.of("a", "b", "c"), drain(follower));
        }
    }

    @Test
    void holdsAPartialLineUntilItsNewlineArrives() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "complete\nhalf a li");
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            FileFollower.Chunk first = follower.poll(1 << 20);
            assertEquals(1, first.lines().size());
            assertEquals("complete\n".length(), first.end().offset(), "position stops after the complete line");
            assertEquals(List.of(), drain(follower));
            append(log, "ne\n");
            assertEquals(List.of("half a line"), drain(follower));
        }
    }

    @Test
    void waitsForAFileThatDoesNotExistYetAndReadsItFromItsStart() throws IOException {
        Path log = dir.resolve("later.log");
        try (FileFollower follower = follower(log, FileFollower.Start.END, null)) {
            assertTrue(follower.poll(1024).isEmpty());
            append(log, "first\n");
            assertEquals(List.of("first"), drain(follower));
        }
    }

    @Test
    void rotationByRenameAndCreateLosesNothing() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "1\n");
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            assertEquals(List.of("1"), drain(follower));
            append(log, "2\n3 unfinished");
            Files.move(log, dir.resolve("access.log.1"));
            append(log, "4\n");
            assertEquals(List.of("2", "3 unfinished", "4"), drain(follower));
            append(log, "5\n");
            assertEquals(List.of("5"), drain(follower));
        }
    }

    @Test
    void aWriterThatHasNotReopenedItsLogYetIsReadFromTheOldFileBeforeTheNewOne() throws IOException {
        // logrotate renames the log and creates an empty one; nginx writes the old file until it gets USR1.
        Path log = dir.resolve("access.log");
        append(log, "1\n");
        AtomicLong now = new AtomicLong();
        try (FileFollower follower = new FileFollower(log, FileFollower.Start.BEGINNING, null, MAX_LINE, now::get)) {
            assertEquals(List.of("1"), drain(follower));
            Path old = dir.resolve("access.log.1");
            Files.move(log, old);
            Files.createFile(log);
            now.addAndGet(Duration.ofMillis(500).toNanos());
            append(old, "2 before the reopen\n");
            assertEquals(List.of("2 before the reopen"), drain(follower));
            append(log, "3 after the reopen\n");
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            assertTrue(follower.poll(1024).isEmpty(), "the old file was written 1 s ago: still on it");
            assertTrue(follower.rotationPending());
            now.addAndGet(Duration.ofSeconds(2).toNanos());
            assertEquals(List.of("3 after the reopen"), drain(follower));
            assertFalse(follower.rotationPending());
        }
    }

    @Test
    void copytruncateIsReadAgainFromTheStart() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "1\n2\n");
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            assertEquals(List.of("1", "2"), drain(follower));
            copyTruncate(log);
            assertTrue(follower.poll(1024).isEmpty());
            append(log, "3\n");
            assertEquals(List.of("3"), drain(follower));
        }
    }

    @Test
    void copytruncateReadsTheLinesNotYetReadFromTheCopy() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "1\n2\n");
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            assertEquals(List.of("1", "2"), drain(follower));
            append(log, "3\n4"); // not read yet, the last line half written
            Files.writeString(dir.resolve("access.log.2.gz"), "not this one");
            Files.writeString(dir.resolve("access.log-other"), "1\n9\n3\n4\n5\n"); // differs before the position
            append(log, "\n");
            copyTruncate(log);
            append(log, "5\n");
            assertEquals(List.of("3", "4", "5"), drain(follower));
        }
    }

    @Test
    void deletionAndRecreationIsFollowed() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "1\n");
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            assertEquals(List.of("1"), drain(follower));
            Files.delete(log);
            assertTrue(follower.poll(1024).isEmpty());
            append(log, "2\n");
            assertEquals(List.of("2"), drain(follower));
        }
    }

    @Test
    void resumesExactlyAfterTheSavedPosition() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "1\n2\n");
        FileFollower.Position saved;
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            FileFollower.Chunk chunk = follower.poll(1 << 20);
            assertEquals(2, chunk.lines().size());
            saved = chunk.end();
        }
        append(log, "3\n");
        try (FileFollower follower = follower(log, FileFollower.Start.END, saved)) {
            assertEquals(List.of("3"), drain(follower));
        }
    }

    @Test
    void resumeFinishesAFileRotatedWhileStoppedBeforeTheNewOne() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "1\n");
        FileFollower.Position saved;
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            saved = follower.poll(1 << 20).end();
        }
        append(log, "2\n");
        Files.move(log, dir.resolve("access.log.1"));
        append(log, "3\n");
        try (FileFollower follower = follower(log, FileFollower.Start.END, saved)) {
            assertEquals(List.of("2", "3"), drain(follower));
        }
    }

    @Test
    void resumeInAFileTruncatedWhileStoppedStartsOver() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "a long first line\n");
        FileFollower.Position saved;
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            saved = follower.poll(1 << 20).end();
        }
        Files.writeString(log, "new\n");
        try (FileFollower follower = follower(log, FileFollower.Start.END, saved)) {
            assertEquals(List.of("new"), drain(follower));
        }
    }

    @Test
    void aLineLongerThanTheLimitIsCutAndKeepsItsLength() throws IOException {
        Path log = dir.resolve("access.log");
        String huge = "x".repeat(10 * MAX_LINE + 7);
        append(log, huge + "\nnext\n");
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            List<FileFollower.Line> lines = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                lines.addAll(follower.poll(100).lines());
            }
            assertEquals(2, lines.size());
            assertEquals(MAX_LINE, lines.get(0).bytes().length);
            assertEquals(huge.length(), lines.get(0).originalLength());
            assertTrue(lines.get(0).truncated());
            assertFalse(lines.get(1).truncated());
            assertEquals("next", new String(lines.get(1).bytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void finishHandsOutALastLineWithoutNewline() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "1\nlast");
        try (FileFollower follower = follower(log, FileFollower.Start.BEGINNING, null)) {
            assertEquals(List.of("1"), drain(follower));
            FileFollower.Chunk last = follower.finish();
            assertEquals("last", new String(last.lines().get(0).bytes(), StandardCharsets.UTF_8));
            assertEquals(Files.size(log), last.end().offset());
        }
    }
}
