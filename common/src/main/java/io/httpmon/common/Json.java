package io.httpmon.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The shared, thread-safe {@link ObjectMapper}s: snake_case fields, nulls left out, unknown fields tolerated. */
public final class Json {

    public static final ObjectMapper MAPPER = configure(new ObjectMapper());

    /**
     * The same, without Jackson's interning of field names: for records whose maps are keyed by what the log holds
     * (clients, paths, users). Interning pays off for a record type's few field names, read again and again; tens of
     * thousands of clients a minute only fill and churn its symbol table (a fifth of alert-service's samples with two
     * client_rate rules, docs/performance.md).
     */
    public static final ObjectMapper LOG_KEYED_MAPPER = configure(new ObjectMapper(JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build()));

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                // Consumers of a newer producer's records must keep working: ignore fields they do not know.
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    }

    private Json() {}
}
