package io.httpmon.parser.format;

import io.httpmon.common.config.Cidr;
import java.util.List;

/**
 * Which address is the client ({@code [Log] client}): the peer as logged, or, for a site behind proxies or load
 * balancers, the first address of {@code X-Forwarded-For} that is not one of {@code [Log] trusted_proxies}, read
 * from the right as each proxy appends its peer (the leftmost is whatever the client claimed; when every address is
 * trusted, it is the leftmost).
 */
public record ClientPolicy(boolean fromForwardedFor, List<Cidr> trustedProxies) {

    public static final ClientPolicy REMOTE_ADDR = new ClientPolicy(false, List.of());

    public ClientPolicy {
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** The client of a request whose peer is {@code remote} and whose {@code X-Forwarded-For} is {@code xff}. */
    public String client(String remote, String xff) {
        if (!fromForwardedFor || xff == null || xff.isBlank() || xff.equals("-")) {
            return remote;
        }
        String[] hops = xff.split(",");
        String leftmost = null;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty() || hop.equals("-")) {
                continue;
            }
            leftmost = hop;
            if (!trusted(hop)) {
                return hop;
            }
        }
        return leftmost != null ? leftmost : remote;
    }

    private boolean trusted(String address) {
        if (trustedProxies.isEmpty()) {
            return false;
        }
        byte[] bytes = Cidr.address(address);
        if (bytes == null) {
            return false;
        }
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
