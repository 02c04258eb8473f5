package io.httpmon.common;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a Kafka cluster does not answer, as far as the network can tell: what a "waiting for Kafka" line says, since
 * Kafka's own client only times out. Each bootstrap address is resolved and connected to once.
 */
public final class KafkaProbe {

    private static final int CONNECT_TIMEOUT_MS = 2000;

    private KafkaProbe() {}

    /** One phrase per bootstrap address (at most three), e.g. {@code kafka:9092: unknown host}. */
    public static String diagnose(String bootstrapServers) {
        List<String> said = new ArrayList<>();
        for (String server : bootstrapServers.split(",")) {
            if (said.size() == 3) {
                break;
            }
            said.add(diagnoseOne(server.strip()));
        }
        return String.join("; ", said);
    }

    static String diagnoseOne(String server) {
        int colon = server.lastIndexOf(':');
        if (colon <= 0 || colon == server.length() - 1) {
            return server + ": not HOST:PORT";
        }
        String host = server.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException e) {
            return server + ": not HOST:PORT";
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return server + ": unknown host (not in DNS or /etc/hosts)";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
            return server + ": accepts connections but does not answer as Kafka (still starting, another service, "
                    + "or a listener that wants TLS or SASL: see --kafka-config)";
        } catch (ConnectException e) {
            return server + ": connection refused (nothing listens there)";
        } catch (SocketTimeoutException e) {
            return server + ": no answer within " + CONNECT_TIMEOUT_MS / 1000 + " s (host down or a firewall)";
        } catch (NoRouteToHostException e) {
            return server + ": no route to host";
        } catch (IOException e) {
            return server + ": " + e.getMessage();
        }
    }
}
