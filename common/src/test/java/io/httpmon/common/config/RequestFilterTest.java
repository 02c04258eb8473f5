package io.httpmon.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.httpmon.common.model.HttpRequest;
import io.httpmon.common.testing.TestRequest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestFilterTest {

    private static final HttpRequest REQUEST = TestRequest.at(0)
            .host("10.1.2.3")
            .method("POST", "/api/v2/users?id=7")
            .status(503)
            .vhost("Shop.Example.com:443")
            .userAgent("Mozilla/5.0 (compatible; Googlebot/2.1)")
            .build();

    /** A key, what it accepts, and whether the request above meets it. */
    @ParameterizedTest(name = "{0} = {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            section    | /api                 | true
            section    | /login, /api         | true
            section    | api                  | true
            section    | /ap                  | false
            section    | !/api                | false
            status     | 5xx                  | true
            status     | 4xx                  | false
            status     | 4xx, 503             | true
            status     | 500                  | false
            status     | ~^50                 | true
            method     | post                 | true
            method     | GET, PUT             | false
            method     | !GET                 | true
            vhost      | shop.example.com     | true
            vhost      | shop.example.com:443 | true
            vhost      | example.com          | false
            vhost      | ~Example\\.com       | true
            vhost      | ~example\\.com       | false
            client     | 10.0.0.0/8           | true
            client     | 10.1.2.3             | true
            client     | 192.168.0.0/16, 10.1.2.0/24 | true
            client     | 10.1.2.4             | false
            client     | 2001:db8::/32        | false
            client     | !10.0.0.0/8          | false
            user_agent | Googlebot            | true
            user_agent | googlebot            | false
            user_agent | ~(?i)BOT            | true
            user_agent | !~bot                | false
            path       | /api/v2/             | true
            path       | /api/v3/             | false
            path       | ~^/api/v2/users$     | true
            path       | ~id=7                | false
            """)
    void eachKeyMatchesAsDocumented(String key, String accepts, boolean meets) {
        RequestFilter filter =
                new RequestFilter(List.of(RequestFilter.Condition.parse(RequestField.byKey(key), accepts)));
        assertEquals(meets, filter.test(REQUEST), filter.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"section", "method", "vhost", "user_agent", "path"}) // a client and a status are always there
    void aRequestWithoutTheFieldMeetsOnlyANegatedCondition(String key) {
        HttpRequest bare = new HttpRequest(
                "10.0.0.1",
                null,
                null,
                null,
                0,
                "garbage",
                null,
                null,
                null,
                null,
                400,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        RequestField field = RequestField.byKey(key);
        assertFalse(new RequestFilter(List.of(RequestFilter.Condition.parse(field, "~."))).test(bare));
        assertTrue(new RequestFilter(List.of(RequestFilter.Condition.parse(field, "!~."))).test(bare));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            all hold       | 5xx   | POST | true
            one does not   | 5xx   | GET  | false
            """)
    void everyConditionMustHold(String name, String status, String method, boolean meets) {
        RequestFilter filter = new RequestFilter(List.of(
                RequestFilter.Condition.parse(RequestField.STATUS, status),
                RequestFilter.Condition.parse(RequestField.METHOD, method)));
        assertEquals(meets, filter.test(REQUEST));
        assertTrue(RequestFilter.ALL.test(REQUEST), "no condition: every request");
    }
}
