package io.streamwreck.local.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the kernel's table of listening TCP sockets (/proc/net/tcp and tcp6): which address a port is bound to. */
final class ListeningSockets {

    private ListeningSockets() {
    }

    /** The local addresses (as the kernel's hex, e.g. {@code 0100007F} for 127.0.0.1) listening on {@code port}. */
    static List<String> addressesListeningOn(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] f = line.trim().split("\\s+");
                // f[1] = local address:port, f[3] = state (0A = LISTEN)
                if (f.length > 3 && "0A".equals(f[3]) && f[1].endsWith(":" + hexPort)) {
                    addresses.add(f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        return addresses;
    }

    /** 127.0.0.1, as an IPv4 socket or (Java binds this way) an IPv4-mapped IPv6 socket, ::ffff:127.0.0.1. */
    static boolean isLoopback(String hexAddress) {
        return hexAddress.equals("0100007F") || hexAddress.equals("0000000000000000FFFF00000100007F");
    }
}
