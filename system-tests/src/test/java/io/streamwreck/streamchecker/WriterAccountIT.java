package io.streamwreck.streamchecker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamwreck.adapter.staging.StagingDatabase;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer's classes read from a staging database made by the adapter's own migrations. */
@WithLocalStack
class WriterAccountIT {

    private static final String K1 = "shardId-000000000001:49590338271490256608559692538361571095921575989136588898";
    private static final String K2 = "shardId-000000000002:49590338271490256608559692538361571095921575989136588899";
    private static final String K3 = "shardId-000000000001:49590338271490256608559692538361571095921575989136588900";

    @Test
    void unwrittenWrittenTwiceAndTheSourcesOfDriftedKeys(LocalStack stack) throws Exception {
        String admin = stack.postgres().jdbcUrl();
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("drop database if exists writer_account_it with (force)");
            s.execute("create database writer_account_it");
        }
        String url = admin.replace("/postgres?", "/writer_account_it?");
        StagingDatabase.open(url, 2, Duration.ofSeconds(5)).close();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("insert into adapter.files (id, bucket, object_key, etag, source_table, stream, state) values "
                    + "(1, 'logs', 'orders/a.log', 'e1', 'orders', 'orders', 'staged'), (2, 'logs', 'clicks/b.log', 'e2', 'clicks', 'clicks', 'staged')");
            s.execute("insert into adapter.lines (file_id, line, stream, data, keys, staged_at) values "
                    + "(1, 1, 'orders', 'a', '{" + K1 + "}', now() - interval '1 hour'),"
                    + "(1, 2, 'orders', 'b', '{" + K2 + "," + K3 + "}', now() - interval '1 hour'),"
                    + "(1, 3, 'orders', 'c', '{}', now() - interval '1 hour'),"
                    + "(1, 4, 'orders', 'd', '{}', now()),"
                    + "(2, 1, 'clicks', 'e', '{}', now() - interval '1 hour')");
        }
        WriterAccount account = WriterAccount.load(url, "orders", Instant.now().minusSeconds(60), List.of(K1, K3), 20);
        assertThat(account.staged()).isEqualTo(3);
        assertThat(account.writerPending()).as("line 4 is newer than the settle window").isEqualTo(1);
        assertThat(account.unwrittenCount()).isEqualTo(1);
        assertThat(account.unwritten()).extracting(WriterAccount.Line::source).containsExactly("s3://logs/orders/a.log:3");
        assertThat(account.writtenTwiceCount()).isEqualTo(1);
        assertThat(account.writtenTwice().get(0).keys()).containsExactly(K2, K3);
        assertThat(account.sources().get(K1).source()).isEqualTo("s3://logs/orders/a.log:1");
        assertThat(account.sources().get(K3).source()).isEqualTo("s3://logs/orders/a.log:2");
        assertThat(account.drift()).isTrue();

        StringWriter text = new StringWriter();
        WriterReport.writeText(account, 20, new PrintWriter(text));
        assertThat(text.toString()).contains("unwritten      s3://logs/orders/a.log:3")
                .contains("written-twice  s3://logs/orders/a.log:2  " + K2 + ", " + K3);
        // --show 1: one source listed, the rest counted.
        StringWriter one = new StringWriter();
        WriterReport.writeText(account, 1, new PrintWriter(one));
        assertThat(one.toString().lines().filter(l -> l.startsWith("  source of "))).hasSize(1);
        assertThat(one.toString()).contains("… and " + (account.sources().size() - 1) + " more sources");
        StringWriter json = new StringWriter();
        WriterReport.writeJson("{\"Stream\":\"orders\",\"Totals\":{\"Scanned\":3}}", account, json);
        JsonNode merged = new ObjectMapper().readTree(json.toString());
        assertThat(merged.get("Stream").asText()).isEqualTo("orders");
        assertThat(merged.get("Totals").get("Scanned").asInt()).isEqualTo(3);
        assertThat(merged.get("Writer").get("WrittenTwice").asInt()).isEqualTo(1);
        assertThat(merged.get("Writer").get("Sources").get(0).get("Line").asInt()).isEqualTo(1);
    }
}
