package io.streamwreck.local.standin;

import java.net.URI;
import java.time.Duration;

/** One running local stand-in for an AWS service. */
interface StandIn extends AutoCloseable {

    /** A short name for messages and log files: {@code kinesis}, {@code dynamodb}, {@code redis}, {@code moto}. */
    String name();

    /** Where clients reach it. */
    URI endpoint();

    /** How long it took from launch until it answered its first real request. */
    Duration startupTime();

    /** Stops it and waits until it is gone. Never throws. */
    @Override
    void close();
}
