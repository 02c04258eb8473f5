package io.httpmon.broker;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A real, small tmpfs to fill up: for the tests of a full disk. Mounting needs root; where it is refused the
 * caller skips with that reason.
 */
public final class SmallDisk implements AutoCloseable {

    /** Why a test is skipped where {@link #mount} fails. */
    public static final String NEEDS_ROOT = "mounting a small tmpfs to fill up needs root (mount -t tmpfs)";

    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (e.g. "64k") on {@code dir}; null when that is not allowed here. */
    public static SmallDisk mount(Path dir, String size) throws InterruptedException {
        return run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()) ? new SmallDisk(dir) : null;
    }

    /** Makes it {@code size} big, keeping its files: space returns. */
    public boolean resize(String size) throws InterruptedException {
        return run("mount", "-o", "remount,size=" + size, dir.toString());
    }

    @Override
    public void close() throws InterruptedException {
        run("umount", "-l", dir.toString());
    }

    private static boolean run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
