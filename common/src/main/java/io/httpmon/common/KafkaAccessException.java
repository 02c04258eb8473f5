package io.httpmon.common;

/** Kafka cannot be used as configured (authentication, authorization, or a refused request): exit code 1. */
public class KafkaAccessException extends RuntimeException {

    public KafkaAccessException(String message) {
        super(message);
    }
}
