package dev.mtp.ingest.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names this machine is reached by, for the default of {@code app.http.allowed-hosts}. None of them can be an
 * attacker's DNS name, which is all the Host check needs to know, so LAN clients calling by address or host name keep
 * working without configuration.
 */
public final class LocalNames {
    /** What a Host header can carry as a name; a host name outside it (an underscore) is no default entry. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");

    private LocalNames() {}

    /** Loopback names; when {@code bindHost} is not loopback, also the host name and the addresses it listens on. */
    public static List<String> defaultAllowedHosts(String bindHost) {
        List<String> names = new ArrayList<>(AllowedHosts.LOOPBACK);
        if (isLoopback(bindHost)) {
            return names;
        }
        if (isWildcard(bindHost)) {
            names.addAll(interfaceAddresses());
        } else if (bindHost.contains(":")) {
            names.add(bindHost.startsWith("[") ? bindHost : "[" + bindHost + "]");
        } else if (HOST_NAME.matcher(bindHost).matches()) {
            names.add(bindHost);
        }
        try {
            String hostName = InetAddress.getLocalHost().getHostName();
            if (HOST_NAME.matcher(hostName).matches()) {
                names.add(hostName);
            }
        } catch (UnknownHostException e) {
            // a machine without a resolvable host name is reached by address
        }
        return names;
    }

    private static boolean isLoopback(String bindHost) {
        try {
            return bindHost.equals("localhost") || InetAddress.getByName(bindHost).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isWildcard(String bindHost) {
        try {
            return bindHost.isBlank() || InetAddress.getByName(bindHost).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static List<String> interfaceAddresses() {
        List<String> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    String text = address.getHostAddress();
                    int zone = text.indexOf('%');
                    text = zone < 0 ? text : text.substring(0, zone);
                    addresses.add(address instanceof Inet6Address ? "[" + text + "]" : text);
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: loopback names and the host name remain
        }
        return addresses;
    }
}
