package io.streamwreck.notified;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.io.IOException;
import java.io.StringWriter;

/**
 * The function's CloudWatch metrics, in embedded metric format: one EMF document per invocation with
 * {@code Notices}, {@code KeysRecorded}, {@code DuplicatesSeen}, {@code MalformedNotices} and
 * {@code RedeliveredNotices}, always all five (zeros included) so that dashboards and alarms see every period;
 * dimension {@code Service}. Thread-safe.
 *
 * <p>Where it goes: on Lambda and locally (the default) EMF is one JSON line on standard output, and this class
 * writes that line itself with Jackson's streaming generator — the same document Powertools writes, without
 * loading Powertools' metrics, the EMF library and Jackson's bean serialisers during the cold start (a fifth of
 * the classes the function loads). Only when the operator chose another EMF environment through
 * {@code AWS_EMF_ENVIRONMENT} (an agent, ECS, EC2) do Powertools and the EMF library write it, as they read that
 * variable.
 */
public final class NoticeMetrics {

    private static final Logger log = LoggerFactory.getLogger(NoticeMetrics.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String[] NAMES = {"Notices", "KeysRecorded", "DuplicatesSeen", "MalformedNotices", "RedeliveredNotices"};

    private final String namespace;
    private final String service;
    /** Whether the document carries the properties of EMF's Lambda environment (function version, log stream, …). */
    private final boolean lambda;
    /** Null: the EMF line goes to standard output from here. Else Powertools writes it where the operator chose. */
    private final PowertoolsOutput powertools;

    private NoticeMetrics(String namespace, String service, boolean lambda, PowertoolsOutput powertools) {
        this.namespace = namespace;
        this.service = service;
        this.lambda = lambda;
        this.powertools = powertools;
    }

    /**
     * Metrics in this namespace, for this service, written where {@code AWS_EMF_ENVIRONMENT} says (standard
     * output unless it names another EMF environment).
     */
    public static NoticeMetrics powertools(String namespace, String service) {
        return create(namespace, service, System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null, System.getenv("AWS_EMF_ENVIRONMENT"));
    }

    static NoticeMetrics create(NotifiedSettings settings) {
        return create(settings.metricsNamespace(), settings.service(), settings.onLambda(), settings.emfEnvironment());
    }

    private static NoticeMetrics create(String namespace, String service, boolean onLambda, String emfEnvironment) {
        if (emfEnvironment == null || emfEnvironment.isBlank()) {
            // Lambda's and the local EMF environments both print the document on standard output.
            return new NoticeMetrics(namespace, service, onLambda, null);
        }
        if (emfEnvironment.equalsIgnoreCase("Lambda") || emfEnvironment.equalsIgnoreCase("Local")) {
            return new NoticeMetrics(namespace, service, emfEnvironment.equalsIgnoreCase("Lambda"), null);
        }
        return new NoticeMetrics(namespace, service, false, new PowertoolsOutput(namespace, service));
    }

    /**
     * Serialises (and discards) an EMF document like the ones {@link #publish} writes, so that its JSON path is
     * loaded before the first invocation. Writes nothing.
     */
    void warm() {
        try {
            if (powertools != null) {
                powertools.warm();
            } else {
                document(new InvocationSummary(0, 0, 0, 0, 0, 0), System.currentTimeMillis());
            }
        } catch (Exception e) {
            // Only a warm-up: the real documents are written (and their failures logged) by publish.
            log.debug("could not warm up the metrics serialisation", e);
        }
    }

    /** Writes one invocation's counts as one EMF document. */
    void publish(InvocationSummary s) {
        try {
            if (powertools != null) {
                powertools.publish(s);
            } else {
                System.out.println(document(s, System.currentTimeMillis()));
            }
        } catch (IOException | RuntimeException e) {
            // Called from a finally block: metrics must never hide the invocation's own outcome.
            log.warn("could not write the invocation's metrics", e);
        }
    }

    /**
     * The EMF document, as the EMF library writes it: metadata first, values as doubles, and on Lambda the
     * properties its Lambda environment adds (each only when its variable is set; the trace only when sampled).
     */
    String document(InvocationSummary s, long timestampMillis) throws IOException {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", timestampMillis);
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", namespace);
            g.writeArrayFieldStart("Metrics");
            for (String name : NAMES) {
                g.writeStartObject();
                g.writeStringField("Name", name);
                g.writeStringField("Unit", "Count");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("Dimensions");
            g.writeStartArray();
            g.writeString("Service");
            g.writeEndArray();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeStringField("Service", service);
            if (lambda) {
                property(g, "executionEnvironment", System.getenv("AWS_EXECUTION_ENV"));
                property(g, "functionVersion", System.getenv("AWS_LAMBDA_FUNCTION_VERSION"));
                property(g, "logStreamId", System.getenv("AWS_LAMBDA_LOG_STREAM_NAME"));
                String trace = System.getenv("_X_AMZN_TRACE_ID");
                property(g, "traceId", trace != null && trace.contains("Sampled=1") ? trace : null);
            }
            g.writeNumberField("Notices", (double) s.notices());
            g.writeNumberField("KeysRecorded", (double) s.keysRecorded());
            g.writeNumberField("DuplicatesSeen", (double) s.duplicatesSeen());
            g.writeNumberField("MalformedNotices", (double) s.malformed());
            g.writeNumberField("RedeliveredNotices", (double) s.redelivered());
            g.writeEndObject();
        }
        return out.toString();
    }

    private static void property(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** Powertools' metrics over the EMF library, for an EMF environment other than standard output. */
    private static final class PowertoolsOutput {
        private final Metrics metrics = MetricsFactory.getMetricsInstance();
        private final String namespace;
        private final String service;
        private final DimensionSet dimensions;

        PowertoolsOutput(String namespace, String service) {
            this.namespace = namespace;
            this.service = service;
            this.dimensions = DimensionSet.of("Service", service);
        }

        void warm() throws Exception {
            MetricsContext context = new MetricsContext();
            context.setNamespace(namespace);
            context.putDimension(software.amazon.cloudwatchlogs.emf.model.DimensionSet.of("Service", service));
            for (String name : NAMES) {
                context.putMetric(name, 0, Unit.COUNT);
            }
            context.serialize();
        }

        void publish(InvocationSummary s) {
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
        }
    }
}
