package io.streamwreck.notified;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The EMF line NoticeMetrics writes itself is the document the EMF library (under Powertools) writes. */
class NoticeMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesTheDocumentTheEmfLibraryWrites() throws Exception {
        InvocationSummary counts = new InvocationSummary(5, 3, 1, 1, 2000, 7);
        NoticeMetrics metrics = NoticeMetrics.powertools("streamwreck-test", "notified-lambda");
        JsonNode ours = JSON.readTree(metrics.document(counts, 1_796_000_000_000L));

        MetricsContext context = new MetricsContext();
        context.setNamespace("streamwreck-test");
        context.putDimension(DimensionSet.of("Service", "notified-lambda"));
        Map<String, Long> values = Map.of("Notices", 5L, "KeysRecorded", 2000L, "DuplicatesSeen", 7L,
                "MalformedNotices", 1L, "RedeliveredNotices", 1L);
        values.forEach((name, value) -> context.putMetric(name, value, Unit.COUNT));
        JsonNode library = JSON.readTree(context.serialize().get(0));

        JsonNode directive = ours.at("/_aws/CloudWatchMetrics/0");
        JsonNode expected = library.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace")).isEqualTo(expected.get("Namespace"));
        assertThat(directive.get("Dimensions")).isEqualTo(expected.get("Dimensions"));
        assertThat(set(directive.get("Metrics"))).isEqualTo(set(expected.get("Metrics")));
        assertThat(ours.at("/_aws/Timestamp").asLong()).isEqualTo(1_796_000_000_000L);
        assertThat(library.at("/_aws/Timestamp").isNumber()).isTrue();

        Set<String> fields = new HashSet<>();
        ours.fieldNames().forEachRemaining(fields::add);
        Set<String> libraryFields = new HashSet<>();
        library.fieldNames().forEachRemaining(libraryFields::add);
        assertThat(fields).isEqualTo(libraryFields);
        for (String field : fields) {
            if (!field.equals("_aws")) {
                assertThat(ours.get(field)).as(field).isEqualTo(library.get(field));
            }
        }
    }

    private static Set<JsonNode> set(JsonNode array) {
        Set<JsonNode> items = new HashSet<>();
        array.forEach(items::add);
        return items;
    }
}
