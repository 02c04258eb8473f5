package io.httpmon.common;

/** A mistake in the command line or configuration: reported in one line, exit code 2, nothing started. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
