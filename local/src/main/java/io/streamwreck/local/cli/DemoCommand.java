package io.streamwreck.local.cli;

import io.streamwreck.local.standin.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * What {@code make run} shows until the full pipeline exists: the stack comes up, a stream is created,
 * records are written and every one is read back with its shard-qualified key; then the stack stops.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts the local stack, writes records to a new stream, reads every shard back from",
                "TRIM_HORIZON and prints each record's shard-qualified key; then stops the stack."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every record written was read back", "1:records were missing or unexpected", "2:usage error or failure"})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "20", description = "Records to write (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--shards", defaultValue = "4", description = "Shards of the demo stream (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--stream", defaultValue = "streamwreck-demo", description = "Stream name (default: ${DEFAULT-VALUE}).")
    String stream;

    @Option(names = "--state-dir", defaultValue = "${env:STREAMWRECK_STATE_DIR:-target/local-stack}",
            description = "Where server logs go (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Override
    public Integer call() {
        if (records < 1 || records > 100_000) {
            throw new IllegalArgumentException("--records must be between 1 and 100000, was " + records);
        }
        if (shards < 1 || shards > 50) {
            throw new IllegalArgumentException("--shards must be between 1 and 50, was " + shards);
        }
        System.err.println("starting the local stack (logs in " + stateDir.resolve("logs").toAbsolutePath() + ") …");
        try (LocalStack stack = LocalStack.start(stateDir)) {
            System.err.println("ready in " + stack.readyTime().toMillis() + " ms " + stack.startupTimes());
            stack.createStream(stream, shards);
            KinesisClient kinesis = stack.kinesis();
            Set<String> written = write(kinesis);
            System.err.println("wrote " + written.size() + " records to " + stream + " (" + shards + " shards)");
            List<String> read = readBack(kinesis);
            Set<String> readSet = new TreeSet<>(read);
            Set<String> missing = new TreeSet<>(written);
            missing.removeAll(readSet);
            Set<String> unexpected = new TreeSet<>(readSet);
            unexpected.removeAll(written);
            System.out.printf("%nwritten %d, read back %d, missing %d, unexpected %d%n",
                    written.size(), read.size(), missing.size(), unexpected.size());
            missing.forEach(k -> System.out.println("missing:    " + k));
            unexpected.forEach(k -> System.out.println("unexpected: " + k));
            return missing.isEmpty() && unexpected.isEmpty() && read.size() == written.size() ? 0 : 1;
        }
    }

    private Set<String> write(KinesisClient kinesis) {
        Set<String> written = new TreeSet<>();
        for (int from = 0; from < records; from += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(records, from + 500); i++) {
                entries.add(PutRecordsRequestEntry.builder()
                        .partitionKey("order-" + i)
                        .data(SdkBytes.fromString("{\"order\":" + i + "}", StandardCharsets.UTF_8))
                        .build());
            }
            PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
            for (PutRecordsResultEntry result : response.records()) {
                if (result.errorCode() != null) {
                    throw new IllegalStateException("PutRecords failed for an entry: " + result.errorCode() + " " + result.errorMessage());
                }
                written.add(result.shardId() + ':' + result.sequenceNumber());
            }
        }
        return written;
    }

    private List<String> readBack(KinesisClient kinesis) {
        List<String> read = new ArrayList<>();
        System.out.printf("%-80s  %-12s  %s%n", "shard-qualified key", "partition", "data");
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                for (Record r : page.records()) {
                    String key = shard.shardId() + ':' + r.sequenceNumber();
                    read.add(key);
                    System.out.printf("%-80s  %-12s  %s%n", key, r.partitionKey(), r.data().asUtf8String());
                }
                // An open shard never ends: stop at its tip, the first empty page that is not behind.
                boolean atTip = page.records().isEmpty()
                        && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0);
                iterator = atTip ? null : page.nextShardIterator();
            }
        }
        return read;
    }
}
