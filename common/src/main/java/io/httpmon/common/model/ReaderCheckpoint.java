package io.httpmon.common.model;

/**
 * Where a reader stands in the file it follows: everything before {@code offset} in the file identified by
 * {@code fileKey} has been published. Written in the same transaction as the lines it covers.
 *
 * @param path the followed path as given to the reader
 * @param fileKey identity of the file that was open (device and inode), to recognise rotation across restarts
 * @param openPath the path the open file had (differs from {@code path} while draining a rotated file)
 * @param offset byte offset just past the last published line
 * @param lines lines published by this reader id so far
 * @param updatedAt wall-clock time of the commit, epoch milliseconds
 * @param chunks raw-lines records (chunks of lines) published so far: the next one goes to partition
 *     {@code chunks % partitions}, so a restart puts each chunk where it would have gone (0 in older checkpoints)
 * @param fieldsDirective the latest W3C {@code #Fields:} line published, passed on with the chunks after it (null:
 *     none)
 */
public record ReaderCheckpoint(
        String path,
        String fileKey,
        String openPath,
        long offset,
        long lines,
        long updatedAt,
        long chunks,
        String fieldsDirective) {}
