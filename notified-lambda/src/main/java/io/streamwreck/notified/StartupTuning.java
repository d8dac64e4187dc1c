package io.streamwreck.notified;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * System properties that make the function's start cheaper without changing what it does, set before the
 * libraries read them (and only when the operator did not set them, e.g. through {@code JAVA_TOOL_OPTIONS}).
 *
 * <ul>
 *   <li>{@code io.lettuce.core.jfr=false}: lettuce otherwise registers its Java Flight Recorder events at start
 *       (about a hundred {@code jdk.jfr} classes); nobody records JFR on Lambda.</li>
 *   <li>{@code io.netty.machineId}: netty otherwise enumerates the network interfaces for a MAC address to put
 *       into channel ids (which only appear in netty's debug logs); a random one per JVM serves as well.</li>
 * </ul>
 * Log4j2's JMX registration (which starts the platform MBean server) is switched off in
 * {@code log4j2.component.properties}.
 */
final class StartupTuning {

    private StartupTuning() {
    }

    static void apply() {
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
