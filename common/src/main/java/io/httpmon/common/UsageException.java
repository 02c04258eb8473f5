package io.httpmon.common;

/** A mistake in the command line or configuration: reported in one line, exit code 2, nothing started. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }

    /**
     * Throws unless {@code file} can be written (appended to, or created in its directory), saying {@code what} it
     * is: a file named by an option or a config key must fail at start, not when the first line is written.
     */
    public static void requireWritable(java.nio.file.Path file, String what) {
        java.nio.file.Path parent = file.toAbsolutePath().getParent();
        if (java.nio.file.Files.isDirectory(file)) {
            throw new UsageException(what + " " + file + " is a directory");
        }
        if (java.nio.file.Files.exists(file)
                ? !java.nio.file.Files.isWritable(file)
                : parent == null
                        || !java.nio.file.Files.isDirectory(parent)
                        || !java.nio.file.Files.isWritable(parent)) {
            throw new UsageException(what + " " + file + " cannot be written (missing directory or no permission)");
        }
    }
}
