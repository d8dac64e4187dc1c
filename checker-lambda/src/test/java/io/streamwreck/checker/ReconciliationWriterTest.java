package io.streamwreck.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.Scope;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReconciliationWriterTest {

    private static final Scope SCOPE = new Scope("orders", "bill\"ing");

    @Test
    void everyListIsPresentWhenEmpty() {
        String json = ReconciliationWriter.write(new Reconciliation.Builder(SCOPE, KeyForm.BARE).build());

        assertThat(json).isEqualTo("{\"Checked\":0,\"Unprocessed\":[],\"Skipped\":[],\"Undelivered\":[],\"Duplicated\":[],"
                + "\"Ambiguous\":[],\"Pending\":[],\"Processed\":0,\"Stream\":\"orders\",\"Application\":\"bill\\\"ing\","
                + "\"Checkpoints\":{}}");
    }

    @Test
    void keysAreListedByClassificationInTheOrderAsked() {
        Reconciliation r = new Reconciliation.Builder(SCOPE, KeyForm.QUALIFIED)
                .add("shardId-000000000000:5", status("shardId-000000000000:5", Classification.UNDELIVERED, 0))
                .add("shardId-000000000000:1", status("shardId-000000000000:1", Classification.PROCESSED, 1))
                .add("shardId-000000000000:2", status("shardId-000000000000:2", Classification.DUPLICATED, 4))
                .add("shardId-000000000000:3", status("shardId-000000000000:3", Classification.SKIPPED, 0))
                .build();

        JsonNode answer = Fixtures.parse(ReconciliationWriter.write(r));

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Checked", 4);
        expected.put("Unprocessed", List.of("shardId-000000000000:5", "shardId-000000000000:3"));
        expected.put("Skipped", List.of("shardId-000000000000:3"));
        expected.put("Undelivered", List.of("shardId-000000000000:5"));
        expected.put("Duplicated", List.of(Map.of("Key", "shardId-000000000000:2", "Count", 4)));
        expected.put("Ambiguous", List.of());
        expected.put("Pending", List.of());
        expected.put("Processed", 1);
        expected.put("Stream", "orders");
        expected.put("Application", "bill\"ing");
        expected.put("Checkpoints", Map.of());
        assertThat(answer).isEqualTo(Fixtures.tree(expected));
    }

    @Test
    void pendingKeysAreListedApartFromUnprocessed() {
        Reconciliation r = new Reconciliation.Builder(SCOPE, KeyForm.QUALIFIED)
                .add("shardId-000000000000:9", status("shardId-000000000000:9", Classification.PENDING, 0))
                .add("shardId-000000000000:5", status("shardId-000000000000:5", Classification.UNDELIVERED, 0))
                .notFound("10", true)
                .build();

        JsonNode answer = Fixtures.parse(ReconciliationWriter.write(r));

        assertThat(answer.get("Pending")).isEqualTo(Fixtures.tree(List.of("shardId-000000000000:9", "10")));
        assertThat(answer.get("Unprocessed")).isEqualTo(Fixtures.tree(List.of("shardId-000000000000:5")));
        assertThat(answer.get("Checked").asInt()).isEqualTo(3);
    }

    @Test
    void ambiguousNumbersListTheirShards() {
        Reconciliation r = new Reconciliation.Builder(SCOPE, KeyForm.BARE)
                .ambiguous("7", List.of("shardId-000000000000", "shardId-000000000003"))
                .notFound("8")
                .build();

        JsonNode answer = Fixtures.parse(ReconciliationWriter.write(r));

        assertThat(answer.get("Checked").asInt()).isEqualTo(2);
        assertThat(answer.get("Ambiguous")).isEqualTo(Fixtures.tree(List.of(
                Map.of("Key", "7", "Shards", List.of("shardId-000000000000", "shardId-000000000003")))));
        assertThat(answer.get("Undelivered")).isEqualTo(Fixtures.tree(List.of("8")));
        assertThat(answer.get("Unprocessed")).isEqualTo(Fixtures.tree(List.of("8")));
    }

    private static KeyStatus status(String key, Classification c, long count) {
        return new KeyStatus(RecordKey.parse(key), c, count);
    }
}
