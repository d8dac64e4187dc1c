package io.streamwreck.notified;

import io.netty.util.internal.logging.InternalLogLevel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;

/**
 * Netty's and lettuce's loggers, bound to their SLF4J (Log4j2) logger on first use instead of when they are
 * created.
 *
 * <p>Why: lettuce and netty create their loggers in static initialisers, so the first lettuce class the Redis
 * connection touches would make its thread initialise Log4j2 — the largest single step of the cold start — and
 * the connection would wait for it. With this factory the connection's thread loads and sets up lettuce and netty
 * while the main thread initialises Log4j2, and waits only at the first log call or level check, by when Log4j2 is
 * usually ready. Every logger ends up being the one netty would have chosen itself (its SLF4J binding, which it
 * prefers when an SLF4J provider is present, as Log4j2's is in this function), with the same levels and output;
 * only the caller location Log4j2 could compute is this class, which the function's JSON layout does not print.
 */
final class DeferredNettyLogging extends InternalLoggerFactory {

    private static final Slf4JLoggerFactory SLF4J = (Slf4JLoggerFactory) Slf4JLoggerFactory.INSTANCE;

    private DeferredNettyLogging() {
    }

    /** Makes netty (and so lettuce) create its loggers here; call before the first netty or lettuce class loads. */
    static void install() {
        InternalLoggerFactory.setDefaultFactory(new DeferredNettyLogging());
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return new DeferredLogger(name);
    }

    /** A logger that asks netty's SLF4J factory for the real one when it is first used. */
    private static final class DeferredLogger implements InternalLogger {
        private final String name;
        private volatile InternalLogger logger;

        DeferredLogger(String name) {
            this.name = name;
        }

        private InternalLogger logger() {
            InternalLogger bound = logger;
            if (bound == null) {
                bound = SLF4J.newInstance(name);
                logger = bound;
            }
            return bound;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isTraceEnabled() {
            return logger().isTraceEnabled();
        }

        @Override
        public void trace(String msg) {
            logger().trace(msg);
        }

        @Override
        public void trace(String msg, Object arg1) {
            logger().trace(msg, arg1);
        }

        @Override
        public void trace(String msg, Object arg1, Object arg2) {
            logger().trace(msg, arg1, arg2);
        }

        @Override
        public void trace(String msg, Object... args) {
            logger().trace(msg, args);
        }

        @Override
        public void trace(String msg, Throwable t) {
            logger().trace(msg, t);
        }

        @Override
        public void trace(Throwable t) {
            logger().trace(t);
        }

        @Override
        public boolean isDebugEnabled() {
            return logger().isDebugEnabled();
        }

        @Override
        public void debug(String msg) {
            logger().debug(msg);
        }

        @Override
        public void debug(String msg, Object arg1) {
            logger().debug(msg, arg1);
        }

        @Override
        public void debug(String msg, Object arg1, Object arg2) {
            logger().debug(msg, arg1, arg2);
        }

        @Override
        public void debug(String msg, Object... args) {
            logger().debug(msg, args);
        }

        @Override
        public void debug(String msg, Throwable t) {
            logger().debug(msg, t);
        }

        @Override
        public void debug(Throwable t) {
            logger().debug(t);
        }

        @Override
        public boolean isInfoEnabled() {
            return logger().isInfoEnabled();
        }

        @Override
        public void info(String msg) {
            logger().info(msg);
        }

        @Override
        public void info(String msg, Object arg1) {
            logger().info(msg, arg1);
        }

        @Override
        public void info(String msg, Object arg1, Object arg2) {
            logger().info(msg, arg1, arg2);
        }

        @Override
        public void info(String msg, Object... args) {
            logger().info(msg, args);
        }

        @Override
        public void info(String msg, Throwable t) {
            logger().info(msg, t);
        }

        @Override
        public void info(Throwable t) {
            logger().info(t);
        }

        @Override
        public boolean isWarnEnabled() {
            return logger().isWarnEnabled();
        }

        @Override
        public void warn(String msg) {
            logger().warn(msg);
        }

        @Override
        public void warn(String msg, Object arg1) {
            logger().warn(msg, arg1);
        }

        @Override
        public void warn(String msg, Object... args) {
            logger().warn(msg, args);
        }

        @Override
        public void warn(String msg, Object arg1, Object arg2) {
            logger().warn(msg, arg1, arg2);
        }

        @Override
        public void warn(String msg, Throwable t) {
            logger().warn(msg, t);
        }

        @Override
        public void warn(Throwable t) {
            logger().warn(t);
        }

        @Override
        public boolean isErrorEnabled() {
            return logger().isErrorEnabled();
        }

        @Override
        public void error(String msg) {
            logger().error(msg);
        }

        @Override
        public void error(String msg, Object arg1) {
            logger().error(msg, arg1);
        }

        @Override
        public void error(String msg, Object arg1, Object arg2) {
            logger().error(msg, arg1, arg2);
        }

        @Override
        public void error(String msg, Object... args) {
            logger().error(msg, args);
        }

        @Override
        public void error(String msg, Throwable t) {
            logger().error(msg, t);
        }

        @Override
        public void error(Throwable t) {
            logger().error(t);
        }

        @Override
        public boolean isEnabled(InternalLogLevel level) {
            return logger().isEnabled(level);
        }

        @Override
        public void log(InternalLogLevel level, String msg) {
            logger().log(level, msg);
        }

        @Override
        public void log(InternalLogLevel level, String msg, Object arg2) {
            logger().log(level, msg, arg2);
        }

        @Override
        public void log(InternalLogLevel level, String msg, Object arg2, Object arg3) {
            logger().log(level, msg, arg2, arg3);
        }

        @Override
        public void log(InternalLogLevel level, String msg, Object... args) {
            logger().log(level, msg, args);
        }

        @Override
        public void log(InternalLogLevel level, String msg, Throwable t) {
            logger().log(level, msg, t);
        }

        @Override
        public void log(InternalLogLevel level, Throwable t) {
            logger().log(level, t);
        }
    }
}
