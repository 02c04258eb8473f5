package io.httpmon.monitor;

import io.httpmon.common.ControlChars;
import io.httpmon.common.UsageException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The access logs the monitor follows, as given with {@code -f}: paths, or globs in the file-name part
 * ({@code /var/log/nginx/*.access.log}). Each file is a source of its own downstream (its own reader, event time and
 * end of input), so files of several servers, or rotated archives of one, can be given in any order.
 *
 * @param patterns what {@code -f} gave, in order
 */
record LogFiles(List<String> patterns) {

    LogFiles {
        patterns = List.copyOf(patterns);
    }

    static boolean isGlob(String pattern) {
        return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    boolean hasGlob() {
        return patterns.stream().anyMatch(LogFiles::isGlob);
    }

    /** How the files are named in messages: the patterns, comma-separated, escaped. */
    String describe() {
        return ControlChars.escape(String.join(", ", patterns));
    }

    /**
     * The files there are now: each path as given, each glob's regular files in name order; a file given twice is
     * one source.
     *
     * @throws UsageException when a glob has wildcards outside its file name, or its directory cannot be listed
     */
    List<Path> expand() {
        Map<Path, Path> files = new LinkedHashMap<>();
        for (String pattern : patterns) {
            if (!isGlob(pattern)) {
                Path file = Path.of(pattern);
                files.putIfAbsent(file.toAbsolutePath().normalize(), file);
                continue;
            }
            for (Path file : matches(pattern)) {
                files.putIfAbsent(file.toAbsolutePath().normalize(), file);
            }
        }
        return new ArrayList<>(files.values());
    }

    private static List<Path> matches(String pattern) {
        Path glob = Path.of(pattern);
        Path dir = glob.getParent() == null ? Path.of(".") : glob.getParent();
        if (isGlob(dir.toString())) {
            throw new UsageException("-f " + ControlChars.escape(pattern)
                    + ": wildcards only in the file name (e.g. /var/log/nginx/*.access.log)");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.getFileName());
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (matcher.matches(entry.getFileName()) && Files.isRegularFile(entry)) {
                    found.add(glob.getParent() == null ? entry.getFileName() : entry);
                }
            }
        } catch (IOException e) {
            throw new UsageException("-f " + ControlChars.escape(pattern) + ": cannot list " + dir + ": " + e);
        }
        found.sort(null);
        return found;
    }
}
