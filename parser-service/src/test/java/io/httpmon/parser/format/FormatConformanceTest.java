package io.httpmon.parser.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.model.HttpRequest;
import io.httpmon.parser.LogLineParser.Result;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per preset and per format syntax: lines written from each format's own documentation (the awkward ones
 * too), and what a person reading the line sees in it.
 */
class FormatConformanceTest {

    /** What the line must give: null where the line has nothing (or the field is not checked: see below). */
    record Expect(
            String client,
            String time,
            String method,
            String resource,
            String section,
            int status,
            Long bytes,
            Long responseTimeUs,
            String userAgent,
            String vhost,
            String upstream,
            String user) {}

    static Stream<Arguments> rows() {
        return Stream.of(
                row(
                        "combined",
                        List.of(),
                        "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" "
                                + "200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"",
                        new Expect(
                                "127.0.0.1",
                                "2000-10-10T20:55:36Z",
                                "GET",
                                "/apache_pb.gif",
                                "/apache_pb.gif",
                                200,
                                2326L,
                                null,
                                "Mozilla/4.08 [en] (Win98; I ;Nav)",
                                null,
                                null,
                                "frank")),
                row(
                        "combined",
                        List.of(),
                        "2001:db8::7 - - [02/Dec/2026:10:00:00 +0000] \"GET /a\\\"b HTTP/1.1\" 404 - \"-\" "
                                + "\"curl/8.0\"",
                        new Expect(
                                "2001:db8::7",
                                "2026-12-02T10:00:00Z",
                                "GET",
                                "/a\"b",
                                "/a\"b",
                                404,
                                null,
                                null,
                                "curl/8.0",
                                null,
                                null,
                                null)),
                row(
                        "common",
                        List.of(),
                        "10.0.0.1 - - [02/Dec/2026:10:00:00 +0100] \"POST /api/v1/x HTTP/1.1\" 201 17",
                        new Expect(
                                "10.0.0.1",
                                "2026-12-02T09:00:00Z",
                                "POST",
                                "/api/v1/x",
                                "/api",
                                201,
                                17L,
                                null,
                                null,
                                null,
                                null,
                                null)),
                row(
                        "vhost_combined",
                        List.of(),
                        "shop.example.com:443 10.0.0.1 - - [02/Dec/2026:10:00:00 +0000] "
                                + "\"GET /cart HTTP/2.0\" 200 99 \"-\" \"Mozilla/5.0\"",
                        new Expect(
                                "10.0.0.1",
                                "2026-12-02T10:00:00Z",
                                "GET",
                                "/cart",
                                "/cart",
                                200,
                                99L,
                                null,
                                "Mozilla/5.0",
                                "shop.example.com:443",
                                null,
                                null)),
                row(
                        "caddy",
                        List.of(),
                        "{\"level\":\"info\",\"ts\":1646861401.5241024,\"logger\":\"http.log.access\","
                                + "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"127.0.0.1\",\"remote_port\":\"41342\","
                                + "\"client_ip\":\"127.0.0.1\",\"proto\":\"HTTP/2.0\",\"method\":\"GET\",\"host\":\"localhost\","
                                + "\"uri\":\"/api/users?id=1\",\"headers\":{\"User-Agent\":[\"curl/7.82.0\"],\"Accept\":[\"*/*\"]},"
                                + "\"tls\":{\"resumed\":false,\"version\":772}},\"bytes_read\":0,\"user_id\":\"\","
                                + "\"duration\":0.000929675,\"size\":10900,\"status\":200,\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
                        new Expect(
                                "127.0.0.1",
                                "2022-03-09T21:30:01.524Z",
                                "GET",
                                "/api/users?id=1",
                                "/api",
                                200,
                                10900L,
                                930L,
                                "curl/7.82.0",
                                "localhost",
                                null,
                                null)),
                row(
                        "nginx-json",
                        List.of(),
                        "{\"time_local\":\"02/Dec/2026:10:00:00 +0000\",\"remote_addr\":\"2001:db8::1\","
                                + "\"remote_user\":\"\",\"request\":\"POST /login HTTP/1.1\",\"status\": \"302\",\"body_bytes_sent\":"
                                + "\"0\",\"request_time\":\"0.012\",\"http_referrer\":\"https://example.com/\",\"http_user_agent\":"
                                + "\"Mozilla/5.0 (X11; Linux x86_64)\",\"http_x_forwarded_for\":\"\",\"upstream_addr\":\"10.0.0.5:8080\"}",
                        new Expect(
                                "2001:db8::1",
                                "2026-12-02T10:00:00Z",
                                "POST",
                                "/login",
                                "/login",
                                302,
                                0L,
                                12_000L,
                                "Mozilla/5.0 (X11; Linux x86_64)",
                                null,
                                "10.0.0.5:8080",
                                null)),
                row(
                        "awsalb",
                        List.of(),
                        "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 "
                                + "192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ "
                                + "HTTP/1.1\" \"curl/7.46.0\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/"
                                + "my-targets/73e2d6bc24d8a067 \"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 "
                                + "2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\" \"10.0.0.1:80\" \"200\" \"-\" \"-\"",
                        new Expect(
                                "192.168.131.39",
                                "2018-07-02T22:23:00.186Z",
                                "GET",
                                "http://www.example.com:80/",
                                "/",
                                200,
                                366L,
                                1000L,
                                "curl/7.46.0",
                                null,
                                "10.0.0.1:80",
                                null)),
                row(
                        "awsalb",
                        List.of(),
                        "https 2026-12-02T10:00:00.000000Z app/lb/1 [2001:db8::5]:40000 - -1 -1 -1 460 - "
                                + "120 0 \"GET https://shop.example.com:443/slow HTTP/1.1\" \"Mozilla/5.0\" ECDHE-RSA-AES128-GCM-SHA256 "
                                + "TLSv1.2 - \"Root=1-5\" \"shop.example.com\" \"arn:cert\" 0 2026-12-02T09:59:59.000000Z \"-\" \"-\" "
                                + "\"-\" \"-\" \"-\" \"-\" \"-\"",
                        new Expect(
                                "2001:db8::5",
                                "2026-12-02T10:00:00Z",
                                "GET",
                                "https://shop.example.com:443/slow",
                                "/slow",
                                460,
                                0L,
                                null,
                                "Mozilla/5.0",
                                "shop.example.com",
                                null,
                                null)),
                row(
                        "awselb",
                        List.of(),
                        "2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 "
                                + "0.000073 0.001048 0.000057 200 200 0 29 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.38.0\""
                                + " - -",
                        new Expect(
                                "192.168.131.39",
                                "2015-05-13T23:39:43.945Z",
                                "GET",
                                "http://www.example.com:80/",
                                "/",
                                200,
                                29L,
                                1178L,
                                "curl/7.38.0",
                                null,
                                "10.0.0.1:80",
                                null)),
                row(
                        "cloudfront",
                        List.of(
                                "#Version: 1.0",
                                "#Fields: date time x-edge-location sc-bytes c-ip cs-method "
                                        + "cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) "
                                        + "x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken "
                                        + "x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version "
                                        + "fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type "
                                        + "sc-content-type sc-content-len sc-range-start sc-range-end"),
                        "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\t"
                                + "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36\t-\t-\tHit\t"
                                + "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==\td111111abcdef8.cloudfront.net\thttps\t23"
                                + "\t0.001\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t11040\t0.001\tHit\t"
                                + "text/html\t78\t-\t-",
                        new Expect(
                                "192.0.2.100",
                                "2019-12-04T21:02:31Z",
                                "GET",
                                "/index.html",
                                "/index.html",
                                200,
                                392L,
                                1000L,
                                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
                                "d111111abcdef8.cloudfront.net",
                                null,
                                null)),
                row(
                        "w3c",
                        List.of(
                                "#Software: Microsoft Internet Information Services 10.0",
                                "#Version: 1.0",
                                "#Date: 2026-12-02 10:00:00",
                                "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
                                        + "cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"),
                        "2026-12-02 10:00:01 10.0.0.4 GET /shop/cart id=7 443 - 203.0.113.9 "
                                + "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) https://example.com/ 200 0 0 46",
                        new Expect(
                                "203.0.113.9",
                                "2026-12-02T10:00:01Z",
                                "GET",
                                "/shop/cart?id=7",
                                "/shop",
                                200,
                                null,
                                46_000L,
                                "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                                null,
                                null,
                                null)),
                // No #Fields: IIS's default columns.
                row(
                        "w3c",
                        List.of(),
                        "2026-12-02 10:00:01 10.0.0.4 GET /shop/cart - 443 DOMAIN\\ann 203.0.113.9 - - 500 "
                                + "0 0 1500",
                        new Expect(
                                "203.0.113.9",
                                "2026-12-02T10:00:01Z",
                                "GET",
                                "/shop/cart",
                                "/shop",
                                500,
                                null,
                                1_500_000L,
                                null,
                                null,
                                null,
                                "DOMAIN\\ann")),
                // A new #Fields mid-file: the columns change from there on.
                row(
                        "w3c",
                        List.of(
                                "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
                                        + "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
                                "2026-12-02 10:00:01 10.0.0.4 GET /a - 443 - 203.0.113.9 - - 200 0 0 46",
                                "#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes time-taken cs-host"),
                        "2026-12-02 10:00:02 198.51.100.7 POST /api/orders 201 512 120 shop.example.com",
                        new Expect(
                                "198.51.100.7",
                                "2026-12-02T10:00:02Z",
                                "POST",
                                "/api/orders",
                                "/api",
                                201,
                                512L,
                                120_000L,
                                null,
                                "shop.example.com",
                                null,
                                null)),
                row(
                        "haproxy",
                        List.of(),
                        "Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 "
                                + "[06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 "
                                + "{1wt.eu} {} \"GET /index.html HTTP/1.1\"",
                        new Expect(
                                "10.0.1.2",
                                "2009-02-06T12:14:14.655Z",
                                "GET",
                                "/index.html",
                                "/index.html",
                                200,
                                2750L,
                                109_000L,
                                null,
                                null,
                                "static/srv1",
                                null)),
                row(
                        "haproxy",
                        List.of(),
                        "10.0.0.9:40150 [06/Feb/2009:12:14:15.002] http-in http-in/<NOSRV> "
                                + "-1/-1/-1/-1/3 400 187 - - PR-- 1/1/0/0/0 0/0 \"<BADREQ>\"",
                        new Expect(
                                "10.0.0.9",
                                "2009-02-06T12:14:15.002Z",
                                null,
                                null,
                                null,
                                400,
                                187L,
                                3000L,
                                null,
                                null,
                                null,
                                null)),
                row(
                        "traefik",
                        List.of(),
                        "192.168.2.20 - - [21/Oct/2026:10:00:00 +0000] \"GET /whoami HTTP/1.1\" 200 718 "
                                + "\"-\" \"curl/8.0\" 3 \"whoami@docker\" \"http://172.17.0.3:80\" 5ms",
                        new Expect(
                                "192.168.2.20",
                                "2026-10-21T10:00:00Z",
                                "GET",
                                "/whoami",
                                "/whoami",
                                200,
                                718L,
                                5000L,
                                "curl/8.0",
                                null,
                                "http://172.17.0.3:80",
                                null)),
                // Format strings pasted from the servers' configs.
                row(
                        "log_format timed '$remote_addr - $remote_user [$time_local] \"$request\" ' '$status $body_bytes_sent "
                                + "\"$http_referer\" \"$http_user_agent\" $request_time $upstream_addr';",
                        List.of(),
                        "10.1.1.1 - bob [02/Dec/2026:10:00:00 +0100] \"GET /a/b?c=1 HTTP/1.1\" 200 512 \"-\" "
                                + "\"Mozilla/5.0 \\x22quoted\\x22\" 0.250 10.0.0.2:8080",
                        new Expect(
                                "10.1.1.1",
                                "2026-12-02T09:00:00Z",
                                "GET",
                                "/a/b?c=1",
                                "/a",
                                200,
                                512L,
                                250_000L,
                                "Mozilla/5.0 \"quoted\"",
                                null,
                                "10.0.0.2:8080",
                                "bob")),
                row(
                        "$host $remote_addr [$time_iso8601] $request_method $request_uri $server_protocol -> $status "
                                + "($request_time s)",
                        List.of(),
                        "api.example.com ::1 [2026-12-02T10:00:00+02:00] DELETE /items/9 HTTP/1.1 -> 204 (0.004 s)",
                        new Expect(
                                "::1",
                                "2026-12-02T08:00:00Z",
                                "DELETE",
                                "/items/9",
                                "/items",
                                204,
                                null,
                                4000L,
                                null,
                                "api.example.com",
                                null,
                                null)),
                row(
                        "log_format json escape=json '{\"ts\":\"$time_iso8601\",\"client\":\"$remote_addr\",\"req\":\"$request\","
                                + "\"status\":$status,\"bytes\":$body_bytes_sent,\"rt\":$request_time}';",
                        List.of(),
                        "{\"ts\":\"2026-12-02T10:00:00+00:00\",\"client\":\"10.0.0.1\",\"req\":\"GET /x HTTP/1.1\",\"status\":200,"
                                + "\"bytes\":10,\"rt\":0.003}",
                        new Expect(
                                "10.0.0.1",
                                "2026-12-02T10:00:00Z",
                                "GET",
                                "/x",
                                "/x",
                                200,
                                10L,
                                3000L,
                                null,
                                null,
                                null,
                                null)),
                row(
                        "LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\" %D\" timed",
                        List.of(),
                        "10.2.2.2 - - [02/Dec/2026:10:00:00 +0000] \"GET /img/a.png HTTP/1.1\" 304 - \"-\" "
                                + "\"Mozilla/5.0 \\\"x\\\"\" 1234",
                        new Expect(
                                "10.2.2.2",
                                "2026-12-02T10:00:00Z",
                                "GET",
                                "/img/a.png",
                                "/img",
                                304,
                                null,
                                1234L,
                                "Mozilla/5.0 \"x\"",
                                null,
                                null,
                                null)),
                row(
                        "%v %a %{%Y-%m-%dT%H:%M:%S%z}t %m %U%q %H %>s %B %{ms}T",
                        List.of(),
                        "www.example.org 192.0.2.1 2026-12-02T10:00:00+0000 GET /search?q=x HTTP/1.1 200 1024 17",
                        new Expect(
                                "192.0.2.1",
                                "2026-12-02T10:00:00Z",
                                "GET",
                                "/search?q=x",
                                "/search",
                                200,
                                1024L,
                                17_000L,
                                null,
                                "www.example.org",
                                null,
                                null)),
                row(
                        "%h %l %u %t \"%r\" %>s %O %T",
                        List.of(),
                        "192.0.2.2 - - [02/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 10 2",
                        new Expect(
                                "192.0.2.2",
                                "2026-12-02T10:00:00Z",
                                "GET",
                                "/",
                                "/",
                                200,
                                10L,
                                2_000_000L,
                                null,
                                null,
                                null,
                                null)));
    }

    private static Arguments row(String format, List<String> before, String line, Expect expect) {
        return Arguments.of(format, before, line, expect);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("rows")
    void readsWhatTheLineSays(String format, List<String> before, String line, Expect expect) {
        LogReader reader = new LogReader(LogFormats.choose(format, ClientPolicy.REMOTE_ADDR));
        LogReader.Source source = reader.source("f.log", null);
        for (String earlier : before) {
            byte[] b = earlier.getBytes(StandardCharsets.UTF_8);
            Result r = source.parse(b, 0, b.length);
            assertTrue(r.isSkipped() || r.isRequest(), earlier + ": " + r.error());
        }
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        Result result = source.parse(b, 0, b.length);
        assertTrue(result.isRequest(), "not read: " + result.error());
        HttpRequest r = result.request();
        assertEquals(expect.client(), r.host(), "client");
        assertEquals(Instant.parse(expect.time()).toEpochMilli(), r.timestamp(), "time");
        assertEquals(expect.method(), r.method(), "method");
        assertEquals(expect.resource(), r.resource(), "resource");
        assertEquals(expect.section(), r.section(), "section");
        assertEquals(expect.status(), r.status(), "status");
        assertEquals(expect.bytes(), r.bytes(), "bytes");
        assertEquals(expect.responseTimeUs(), r.responseTimeUs(), "response time");
        assertEquals(expect.userAgent(), r.userAgent(), "user agent");
        assertEquals(expect.vhost(), r.vhost(), "vhost");
        assertEquals(expect.upstream(), r.upstream(), "upstream");
        assertEquals(expect.user(), r.user(), "user");
    }

    @ParameterizedTest(name = "{0} turns away: {1}")
    @MethodSource("notRequests")
    void saysWhyALineIsNotARequest(String format, String line, String reasonPart) {
        LogReader reader = new LogReader(LogFormats.choose(format, ClientPolicy.REMOTE_ADDR));
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        Result result = reader.source("f.log", null).parse(b, 0, b.length);
        assertNull(result.request());
        assertTrue(result.error() != null && result.error().contains(reasonPart), result.error());
    }

    static Stream<Arguments> notRequests() {
        return Stream.of(
                Arguments.of(
                        "caddy", "127.0.0.1 - - [02/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1", "not a JSON"),
                Arguments.of("caddy", "{\"ts\":1646861401.5,\"status\":200}", "no client"),
                Arguments.of(
                        "caddy",
                        "{\"ts\":1646861401.5,\"request\":{\"client_ip\":\"1.2.3.4\"},\"status\":20}",
                        "not a 3-digit"),
                Arguments.of("nginx-json", "{\"remote_addr\":\"1.2.3.4\",\"status\":200", "not valid JSON"),
                Arguments.of("w3c", "2026-12-02 10:00:01 10.0.0.4 GET", "fields where"),
                Arguments.of("haproxy", "10.0.0.9:40150 06/Feb/2009 x", "accept date"),
                Arguments.of("awsalb", "http 2018-07-02T22:23:00Z app/x 1.2.3.4:1 - 0 0 0 abc", "expected"),
                Arguments.of("$remote_addr [$time_local] $status", "1.2.3.4 [yesterday] 200", "dd/MMM/yyyy"),
                Arguments.of("%h %t %>s %D", "1.2.3.4 [02/Dec/2026:10:00:00 +0000] 200 fast", "response time"));
    }
}
