package io.httpmon.parser.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.httpmon.common.config.Cidr;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientPolicyTest {

    private static final ClientPolicy BEHIND_PROXIES = new ClientPolicy(
            true, List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32"), Cidr.parse("192.0.2.7")));

    @Test
    void theClientIsTheFirstUntrustedAddressFromTheRight() {
        assertEquals("203.0.113.9", BEHIND_PROXIES.client("10.0.0.2", "203.0.113.9, 10.1.1.1"));
        // What the client claimed (the leftmost) is not believed past an untrusted hop.
        assertEquals("198.51.100.4", BEHIND_PROXIES.client("10.0.0.2", "1.1.1.1, 198.51.100.4, 192.0.2.7"));
        assertEquals("2001:db9::1", BEHIND_PROXIES.client("10.0.0.2", "2001:db9::1,2001:db8::5"));
        // Every hop trusted: the leftmost. No header: the peer.
        assertEquals("10.9.9.9", BEHIND_PROXIES.client("10.0.0.2", "10.9.9.9, 10.1.1.1"));
        assertEquals("10.0.0.2", BEHIND_PROXIES.client("10.0.0.2", "-"));
        assertEquals("10.0.0.2", BEHIND_PROXIES.client("10.0.0.2", null));
        // Off by default: the peer, whatever the header says.
        assertEquals("10.0.0.2", ClientPolicy.REMOTE_ADDR.client("10.0.0.2", "203.0.113.9"));
    }

    @Test
    void aFormatWithTheHeaderCountsTheClientBehindTheLoadBalancer() {
        LineFormat f = LogFormats.choose(
                        "$remote_addr [$time_local] \"$request\" $status \"$http_x_forwarded_for\"", BEHIND_PROXIES)
                .fixed();
        byte[] line = "10.0.0.2 [02/Dec/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 \"203.0.113.9, 10.0.0.3\""
                .getBytes(StandardCharsets.UTF_8);
        var r = f.parse(line, 0, line.length, new LineContext()).request();
        assertEquals("203.0.113.9", r.host());
        assertEquals("203.0.113.9, 10.0.0.3", r.forwardedFor());
    }
}
