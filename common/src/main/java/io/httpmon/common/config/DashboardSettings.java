package io.httpmon.common.config;

import java.util.List;

/**
 * The {@code [Dashboard]} section: who may use the live page.
 *
 * @param allowRuleChanges whether the page may change the alert rules (off by default: anyone who can open the page
 *     could otherwise add, change or delete rules)
 * @param hosts the names the page is served under besides localhost and the bound address (what a browser sends as
 *     {@code Host}); a request for any other name is refused, as Jupyter and Prometheus do against DNS rebinding
 */
public record DashboardSettings(boolean allowRuleChanges, List<String> hosts) {

    public static final DashboardSettings DEFAULT = new DashboardSettings(false, List.of());

    public DashboardSettings {
        hosts = List.copyOf(hosts);
    }
}
