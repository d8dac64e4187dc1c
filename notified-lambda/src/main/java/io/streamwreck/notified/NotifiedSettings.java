package io.streamwreck.notified;

import io.streamwreck.core.config.StreamwreckConfig;

import java.time.Duration;
import java.util.Map;

/**
 * The function's settings, read once from its environment variables: the ledger ({@code REDIS_URL},
 * {@code REDIS_CLUSTER}, {@code LEDGER_TTL}, see {@link StreamwreckConfig}) and Powertools' standard
 * {@code POWERTOOLS_METRICS_NAMESPACE} and {@code POWERTOOLS_SERVICE_NAME}. The ledger scope is not a
 * setting: each notice names its stream and application.
 *
 * @param onLambda       whether the code runs on AWS Lambda ({@code AWS_LAMBDA_FUNCTION_NAME} is set)
 * @param emfEnvironment {@code AWS_EMF_ENVIRONMENT} when the operator chose where metrics go, else null
 */
record NotifiedSettings(String redisUrl, boolean redisCluster, Duration ledgerTtl, String metricsNamespace,
                        String service, boolean onLambda, String emfEnvironment) {

    static final String DEFAULT_NAMESPACE = "streamwreck";
    static final String DEFAULT_SERVICE = "notified-lambda";

    /** @throws io.streamwreck.core.config.ConfigException naming the variable that is missing or malformed */
    static NotifiedSettings from(Map<String, String> env) {
        StreamwreckConfig config = StreamwreckConfig.from(env);
        String redisUrl = StreamwreckConfig.require(config.redisUrl(), "REDIS_URL", "REDIS_URL");
        return new NotifiedSettings(redisUrl, config.redisCluster(), config.ledgerTtl(),
                value(env, "POWERTOOLS_METRICS_NAMESPACE", DEFAULT_NAMESPACE),
                value(env, "POWERTOOLS_SERVICE_NAME", DEFAULT_SERVICE),
                env.get("AWS_LAMBDA_FUNCTION_NAME") != null,
                value(env, "AWS_EMF_ENVIRONMENT", null));
    }

    private static String value(Map<String, String> env, String name, String otherwise) {
        String v = env.get(name);
        return v == null || v.isBlank() ? otherwise : v.trim();
    }

    @Override
    public String toString() {
        // REDIS_URL may carry an AUTH token: never print it.
        return "NotifiedSettings{redisCluster=" + redisCluster + ", ledgerTtl=" + ledgerTtl + ", namespace="
                + metricsNamespace + ", service=" + service + ", onLambda=" + onLambda + "}";
    }
}
