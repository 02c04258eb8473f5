package io.httpmon.common.testing;

import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.model.Section;
import java.time.Instant;

/**
 * Builds the {@link HttpRequest} a test needs, naming only what it is about: {@code at(t).get("/api/x").status(500)
 * .build()}. Defaults: client {@code 10.0.0.1}, {@code GET /}, HTTP/1.1, status 200, 1 byte; the section is derived
 * from the resource as the parser derives it. Shared by the modules' tests (common's test-jar).
 */
public final class TestRequest {

    private final long timestamp;
    private String host = "10.0.0.1";
    private String user;
    private String method = "GET";
    private String resource = "/";
    private int status = 200;
    private Long bytes = 1L;
    private String vhost;
    private Long responseTimeUs;
    private String userAgent;

    private TestRequest(long timestamp) {
        this.timestamp = timestamp;
    }

    /** A request at {@code epochMillis}. */
    public static TestRequest at(long epochMillis) {
        return new TestRequest(epochMillis);
    }

    public static TestRequest at(Instant time) {
        return new TestRequest(time.toEpochMilli());
    }

    public TestRequest host(String clientHost) {
        this.host = clientHost;
        return this;
    }

    public TestRequest user(String authUser) {
        this.user = authUser;
        return this;
    }

    /** {@code GET resource}. */
    public TestRequest get(String path) {
        return method("GET", path);
    }

    public TestRequest method(String httpMethod, String path) {
        this.method = httpMethod;
        this.resource = path;
        return this;
    }

    public TestRequest status(int code) {
        this.status = code;
        return this;
    }

    /** Response bytes; null when the log says {@code -}. */
    public TestRequest bytes(Long size) {
        this.bytes = size;
        return this;
    }

    public TestRequest vhost(String virtualHost) {
        this.vhost = virtualHost;
        return this;
    }

    public TestRequest responseTimeUs(long micros) {
        this.responseTimeUs = micros;
        return this;
    }

    public TestRequest userAgent(String agent) {
        this.userAgent = agent;
        return this;
    }

    public HttpRequest build() {
        return new HttpRequest(
                host,
                null,
                user,
                null,
                timestamp,
                method + " " + resource + " HTTP/1.1",
                method,
                resource,
                "HTTP/1.1",
                Section.of(resource),
                status,
                bytes,
                null,
                userAgent,
                vhost,
                null,
                responseTimeUs,
                null,
                null);
    }
}
