package io.httpmon.streams;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that is not what the topic should hold (a foreign producer's garbage) is skipped with one log line
 * saying where it was and why, not a stack trace, and never stops the service.
 */
public final class SkipGarbageHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(SkipGarbageHandler.class);

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String reason = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
        log.warn(
                "Skipped a record that is not a valid message at {}-{} offset {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                io.httpmon.common.ControlChars.escape(reason));
        return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {}
}
