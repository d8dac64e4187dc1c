package io.streamwreck.ledger;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * System properties that make the ledger client's start cheaper (the Lambdas call it first thing in their init) without changing what it does, set before the
 * libraries read them (and only when the operator did not set them, e.g. through {@code JAVA_TOOL_OPTIONS}).
 *
 * <ul>
 *   <li>{@code io.lettuce.core.jfr=false}: lettuce otherwise registers its Java Flight Recorder events at start
 *       (about a hundred {@code jdk.jfr} classes); nobody records JFR on Lambda.</li>
 *   <li>{@code io.netty.machineId}: netty otherwise enumerates the network interfaces for a MAC address to put
 *       into channel ids (which only appear in netty's debug logs); a random one per JVM serves as well.</li>
 * </ul>
 */
public final class LedgerClientStartup {

    private LedgerClientStartup() {
    }

    /** Sets the properties the operator has not set; call before the first lettuce or netty class loads. */
    public static void apply() {
        setIfAbsent("io.lettuce.core.jfr", "false");
        byte[] machineId = new byte[8];
        ThreadLocalRandom.current().nextBytes(machineId);
        setIfAbsent("io.netty.machineId", HexFormat.ofDelimiter(":").formatHex(machineId));
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
