package io.streamwreck.processor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A worker's identity in the lease table: host, pid and a random part, so two workers never share one. */
public final class WorkerId {

    private WorkerId() {
    }

    public static String generate() {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return host() + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(random);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
