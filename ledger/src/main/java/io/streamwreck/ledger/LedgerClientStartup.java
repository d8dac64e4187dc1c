package io.streamwreck.ledger;

import java.util.HexFormat;
import java.util.List;
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

    /**
     * Classes the first connection needs, loaded (and verified and initialised) by the caller, which during a Lambda's
     * init is the main thread while the connection opens on another ({@code RedisLedger.connect} there). Those are
     * mostly class-loading volume: reactor's {@code Mono} makes the verifier load some 140 of its operator classes
     * (lettuce resolves addresses through it), and lettuce's command API and protocol handler another 200. Loaded here, the connecting thread finds them ready. The order
     * is the reverse of the order the connection needs them, so that the two threads meet rather than queue behind
     * one another on the same class. Only their static initialisers run, which have no effect outside the JVM.
     */
    static final List<String> CONNECTION_CLASSES = List.of(
            "io.lettuce.core.protocol.CommandHandler",
            "io.lettuce.core.protocol.DefaultEndpoint",
            "io.lettuce.core.RedisCommandBuilder",
            "io.lettuce.core.AbstractRedisAsyncCommands",
            "reactor.core.publisher.Mono");

    /**
     * Loads {@link #CONNECTION_CLASSES} in the calling thread, so that a connection being opened on another thread
     * at the same time finds them loaded. Call after {@link #apply()}. Only a head start: a class that cannot be
     * loaded here is loaded (or fails) where the connection needs it.
     */
    public static void preloadConnectionClasses() {
        ClassLoader loader = LedgerClientStartup.class.getClassLoader();
        for (String name : CONNECTION_CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // The connection loads it itself (and reports what fails).
            }
        }
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
