package io.httpmon.common.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code [Dashboard]} section: who may use the live page.
 *
 * @param allowRuleChanges whether the page may change the alert rules and monitors without credentials (off by
 *     default: anyone who can open the page could otherwise add, change or delete them)
 * @param hosts the names the page is served under besides localhost and the bound address (what a browser sends as
 *     {@code Host}); a request for any other name is refused, as Jupyter and Prometheus do against DNS rebinding
 * @param credentials user name to password, from {@code credentials_file}: when there are any, the page may change
 *     rules and monitors for a request that gives one of them (HTTP basic authentication), and for no other; the
 *     read-only view stays open
 */
public record DashboardSettings(boolean allowRuleChanges, List<String> hosts, Map<String, String> credentials) {

    public static final DashboardSettings DEFAULT = new DashboardSettings(false, List.of());

    public DashboardSettings {
        hosts = List.copyOf(hosts);
        credentials = Map.copyOf(credentials);
    }

    public DashboardSettings(boolean allowRuleChanges, List<String> hosts) {
        this(allowRuleChanges, hosts, Map.of());
    }

    /** Whether the page may change rules and monitors at all (with credentials where there are any). */
    public boolean ruleChanges() {
        return allowRuleChanges || !credentials.isEmpty();
    }
}
