package io.streamwreck.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Settings shared by every part, read once from environment variables (DESIGN.md "Configuration") into an
 * immutable object. Command-line flags override these values in each CLI; nothing here has a hard-coded
 * region, account or resource name.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><td>{@code STREAM_NAME}</td><td>the Kinesis stream</td></tr>
 *   <tr><td>{@code APP_NAME}</td><td>the consumer application (KCL application name, ledger scope)</td></tr>
 *   <tr><td>{@code REDIS_URL}</td><td>{@code redis://} or {@code rediss://} URL of the ledger</td></tr>
 *   <tr><td>{@code REDIS_CLUSTER}</td><td>{@code true} when the ledger is a Redis Cluster (ElastiCache cluster mode)</td></tr>
 *   <tr><td>{@code TOPIC_ARN}</td><td>the SNS topic notices go to</td></tr>
 *   <tr><td>{@code AWS_REGION}</td><td>the AWS region</td></tr>
 *   <tr><td>{@code LEDGER_TTL}</td><td>how long ledger entries live; stream retention plus a margin (default 48h)</td></tr>
 *   <tr><td>{@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL}</td><td>endpoints of local stand-ins</td></tr>
 * </table>
 */
public final class StreamwreckConfig {

    public static final Duration DEFAULT_LEDGER_TTL = Duration.ofHours(48);

    /** The AWS services whose endpoint can be overridden, by their SDK service id. */
    public enum Service {
        KINESIS, DYNAMODB, SNS, SQS, CLOUDWATCH;

        /** The service-specific environment variable, as the AWS SDKs and CLI read it. */
        public String endpointVariable() {
            return "AWS_ENDPOINT_URL_" + name();
        }
    }

    private final Map<String, String> env;
    private final String streamName;
    private final String appName;
    private final String redisUrl;
    private final String topicArn;
    private final String region;
    private final boolean redisCluster;
    private final Duration ledgerTtl;

    private StreamwreckConfig(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.streamName = value("STREAM_NAME");
        this.appName = value("APP_NAME");
        this.redisUrl = value("REDIS_URL");
        this.topicArn = value("TOPIC_ARN");
        String cluster = value("REDIS_CLUSTER");
        if (cluster != null && !cluster.equalsIgnoreCase("true") && !cluster.equalsIgnoreCase("false")) {
            throw new ConfigException("REDIS_CLUSTER: \"" + cluster + "\" must be true or false");
        }
        this.redisCluster = "true".equalsIgnoreCase(cluster);
        this.region = value("AWS_REGION") != null ? value("AWS_REGION") : value("AWS_DEFAULT_REGION");
        String ttl = value("LEDGER_TTL");
        Duration parsedTtl;
        try {
            parsedTtl = ttl == null ? DEFAULT_LEDGER_TTL : Durations.parse(ttl);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("LEDGER_TTL: " + e.getMessage());
        }
        if (parsedTtl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new ConfigException("LEDGER_TTL: " + ttl + " is shorter than one minute; use the stream retention plus a margin");
        }
        this.ledgerTtl = parsedTtl;
        if (redisUrl != null) {
            String scheme = redisUrl.toLowerCase(Locale.ROOT);
            if (!scheme.startsWith("redis://") && !scheme.startsWith("rediss://")) {
                throw new ConfigException("REDIS_URL: \"" + redact(redisUrl) + "\" must start with redis:// or rediss:// (TLS)");
            }
        }
        for (Service service : Service.values()) {
            endpoint(service);
        }
    }

    /** A URL with anything between "//" (or the start) and the last "@" masked: it may be an AUTH token. */
    static String redact(String url) {
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int slashes = url.indexOf("//");
        int from = slashes >= 0 && slashes < at ? slashes + 2 : 0;
        return url.substring(0, from) + "***" + url.substring(at);
    }

    /** Reads the process environment. */
    public static StreamwreckConfig fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * Reads the given variables.
     *
     * @throws ConfigException naming the variable when a value is malformed
     */
    public static StreamwreckConfig from(Map<String, String> env) {
        return new StreamwreckConfig(env);
    }

    private String value(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public Optional<String> streamName() {
        return Optional.ofNullable(streamName);
    }

    public Optional<String> appName() {
        return Optional.ofNullable(appName);
    }

    public Optional<String> redisUrl() {
        return Optional.ofNullable(redisUrl);
    }

    /** Whether the ledger is a Redis Cluster ({@code REDIS_CLUSTER=true}). */
    public boolean redisCluster() {
        return redisCluster;
    }

    public Optional<String> topicArn() {
        return Optional.ofNullable(topicArn);
    }

    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    public Duration ledgerTtl() {
        return ledgerTtl;
    }

    /**
     * The endpoint override for a service: {@code AWS_ENDPOINT_URL_<SERVICE>}, else {@code AWS_ENDPOINT_URL},
     * else empty (the SDK's default endpoint for the region).
     *
     * @throws ConfigException naming the variable when the value is not an http(s) URL
     */
    public Optional<URI> endpoint(Service service) {
        String name = service.endpointVariable();
        String v = value(name);
        if (v == null) {
            name = "AWS_ENDPOINT_URL";
            v = value(name);
        }
        if (v == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new ConfigException(name + ": \"" + v + "\" is not an http:// or https:// URL");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new ConfigException(name + ": \"" + v + "\" is not a URL (" + e.getReason() + ")");
        }
    }

    /** A required value, or a {@link ConfigException} that says which variable (or flag) to set. */
    public static String require(Optional<String> value, String variable, String flag) {
        return value.orElseThrow(() -> new ConfigException("missing " + flag + " (or environment variable " + variable + ")"));
    }

    @Override
    public String toString() {
        // The Redis URL may carry an AUTH token: never print it.
        return "StreamwreckConfig{stream=" + streamName + ", app=" + appName + ", topicArn=" + topicArn
                + ", region=" + region + ", redis=" + (redisUrl == null ? "unset" : "set") + ", ledgerTtl=" + ledgerTtl + "}";
    }
}
