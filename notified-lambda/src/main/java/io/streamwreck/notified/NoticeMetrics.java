package io.streamwreck.notified;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.config.Configuration;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The function's CloudWatch metrics, in embedded metric format through Powertools: one EMF document per
 * invocation with {@code Notices}, {@code KeysRecorded}, {@code DuplicatesSeen}, {@code MalformedNotices} and
 * {@code RedeliveredNotices}, always all five (zeros included) so that dashboards and alarms see every period;
 * dimension {@code Service}. Thread-safe.
 */
public final class NoticeMetrics {

    private static final Logger log = LoggerFactory.getLogger(NoticeMetrics.class);

    private final Metrics metrics;
    private final String namespace;
    private final DimensionSet dimensions;
    private final String service;

    private NoticeMetrics(Metrics metrics, String namespace, String service) {
        this.metrics = metrics;
        this.namespace = namespace;
        this.service = service;
        this.dimensions = DimensionSet.of("Service", service);
    }

    /**
     * Metrics in this namespace, for this service.
     *
     * <p>Outside Lambda the EMF library would otherwise probe the ECS and EC2 metadata endpoints over the
     * network to find where it runs; unless {@code AWS_EMF_ENVIRONMENT} chose already, this pins it: on Lambda
     * to Lambda, elsewhere to Local (both write EMF to standard output).
     */
    public static NoticeMetrics powertools(String namespace, String service) {
        return create(namespace, service, System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null, System.getenv("AWS_EMF_ENVIRONMENT"));
    }

    static NoticeMetrics create(NotifiedSettings settings) {
        return create(settings.metricsNamespace(), settings.service(), settings.onLambda(), settings.emfEnvironment());
    }

    private static NoticeMetrics create(String namespace, String service, boolean onLambda, String emfEnvironment) {
        if (emfEnvironment == null || emfEnvironment.isBlank()) {
            Configuration emf = EnvironmentConfigurationProvider.getConfig();
            emf.setEnvironmentOverride(onLambda ? Environments.Lambda : Environments.Local);
            emf.setServiceName(service);
            emf.setServiceType("AWS::Lambda::Function");
        }
        return new NoticeMetrics(MetricsFactory.getMetricsInstance(), namespace, service);
    }

    /**
     * Serialises (and discards) an EMF document like the ones {@link #publish} writes, so that the JSON
     * serialisation of the EMF library is loaded before the first invocation. Writes nothing.
     */
    void warm() {
        try {
            MetricsContext context = new MetricsContext();
            context.setNamespace(namespace);
            context.putDimension(software.amazon.cloudwatchlogs.emf.model.DimensionSet.of("Service", service));
            for (String name : new String[] {"Notices", "KeysRecorded", "DuplicatesSeen", "MalformedNotices", "RedeliveredNotices"}) {
                context.putMetric(name, 0, Unit.COUNT);
            }
            context.serialize();
        } catch (Exception e) {
            // Only a warm-up: the real documents are written (and their failures logged) by publish.
            log.debug("could not warm up the metrics serialisation", e);
        }
    }

    /** Writes one invocation's counts as one EMF document. */
    void publish(InvocationSummary s) {
        try {
            // Powertools keeps one process-wide metrics context; a separate one per flush keeps this function's
            // namespace and counts apart from any other code in the process (the local runtime hosts several).
            metrics.flushMetrics(m -> {
                m.setNamespace(namespace);
                m.setDefaultDimensions(dimensions);
                m.addMetric("Notices", s.notices(), MetricUnit.COUNT);
                m.addMetric("KeysRecorded", s.keysRecorded(), MetricUnit.COUNT);
                m.addMetric("DuplicatesSeen", s.duplicatesSeen(), MetricUnit.COUNT);
                m.addMetric("MalformedNotices", s.malformed(), MetricUnit.COUNT);
                m.addMetric("RedeliveredNotices", s.redelivered(), MetricUnit.COUNT);
            });
        } catch (RuntimeException e) {
            // Called from a finally block: metrics must never hide the invocation's own outcome.
            log.warn("could not write the invocation's metrics", e);
        }
    }
}
