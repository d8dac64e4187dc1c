package io.streamwreck.ledger;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A KCL application's checkpoints, read from its lease table (DynamoDB, named after the application) — the
 * evidence that tells lag from loss (DESIGN.md "Classification", {@code pending}): a record in no delivered range
 * is {@link Classification#UNDELIVERED} only when the consumer has read past it, and {@link Classification#PENDING}
 * when it is after the shard's checkpoint or on a shard the consumer has not started.
 *
 * <p>Read once per scan or request — one consistent Scan of the table, a few items per shard — and before the
 * ledger is asked: the processor checkpoints only batches whose notices SNS accepted, so a checkpoint read first
 * can only be behind what the ledger then holds, never ahead of it (except for notices still on their way from
 * SNS to the ledger; the settle window covers those).
 *
 * <p>A consumer without a lease table (a Lambda event source mapping keeps its position to itself) has no
 * visible checkpoints: {@link #visible()} is false, every status stays as the ledger said, and {@link #evidence()}
 * says the judgement rests on the settle window alone. So does a table this caller may not read.
 */
public final class ConsumerCheckpoints {

    /** KCL's lease attributes. */
    private static final String LEASE_KEY = "leaseKey";
    private static final String CHECKPOINT = "checkpoint";
    private static final String SUB_SEQUENCE = "checkpointSubSequenceNumber";
    private static final String PARENTS = "parentShardId";

    private final String table;
    private final boolean visible;
    private final String evidence;
    private final Map<String, ShardProgress> leases;
    private final Set<String> parents;

    private ConsumerCheckpoints(String table, boolean visible, String evidence, Map<String, ShardProgress> leases, Set<String> parents) {
        this.table = table;
        this.visible = visible;
        this.evidence = evidence;
        this.leases = leases;
        this.parents = parents;
    }

    /** No checkpoints to go by: statuses stay as the ledger says, judged by the settle window alone. */
    public static ConsumerCheckpoints none(String why) {
        return new ConsumerCheckpoints(null, false, why, Map.of(), Set.of());
    }

    /**
     * Reads the lease table {@code table} (KCL names it after the application). A missing table, or one this
     * caller may not read, is no evidence ({@link #none}); other failures are thrown.
     *
     * @param stream for a multi-stream KCL application, whose lease keys are {@code account:stream:epoch:shardId}:
     *               only this stream's leases count
     * @throws CheckpointsUnavailableException when DynamoDB does not answer (after the client's retries) or refuses
     */
    public static ConsumerCheckpoints read(DynamoDbClient dynamoDb, String table, String stream) {
        Map<String, ShardProgress> leases = new TreeMap<>();
        Set<String> parents = new HashSet<>();
        try {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse page = dynamoDb.scan(b -> b.tableName(table).consistentRead(true).exclusiveStartKey(from)
                        .projectionExpression("#k, #c, #s, #p")
                        .expressionAttributeNames(Map.of("#k", LEASE_KEY, "#c", CHECKPOINT, "#s", SUB_SEQUENCE, "#p", PARENTS)));
                for (Map<String, AttributeValue> item : page.items()) {
                    String shardId = shardOf(item.get(LEASE_KEY), stream);
                    if (shardId == null) {
                        continue;
                    }
                    leases.put(shardId, progress(item));
                    AttributeValue p = item.get(PARENTS);
                    if (p != null && p.hasSs()) {
                        p.ss().forEach(parent -> parents.add(parent.substring(parent.lastIndexOf(':') + 1)));
                    }
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (ResourceNotFoundException e) {
            return none("no lease table " + table + " (a consumer without KCL checkpoints, such as a Lambda event source "
                    + "mapping): judged by the settle window alone");
        } catch (AwsServiceException e) {
            if (e.statusCode() == 400 && e.awsErrorDetails() != null && "AccessDeniedException".equals(e.awsErrorDetails().errorCode())) {
                return none("the lease table " + table + " may not be read here (AccessDeniedException): judged by the "
                        + "settle window alone");
            }
            throw new CheckpointsUnavailableException(table, e);
        } catch (SdkException e) {
            throw new CheckpointsUnavailableException(table, e);
        }
        if (leases.isEmpty()) {
            return none("the lease table " + table + " holds no lease of this stream: judged by the settle window alone");
        }
        return new ConsumerCheckpoints(table, true, "checkpoints of " + leases.size() + " shard" + (leases.size() == 1 ? "" : "s")
                + " from the lease table " + table, Collections.unmodifiableMap(leases), Set.copyOf(parents));
    }

    private static String shardOf(AttributeValue leaseKey, String stream) {
        if (leaseKey == null || leaseKey.s() == null) {
            return null;
        }
        String key = leaseKey.s();
        if (key.startsWith("shardId-")) {
            return key;
        }
        String[] parts = key.split(":");
        return parts.length == 4 && parts[1].equals(stream) ? parts[3] : null;
    }

    private static ShardProgress progress(Map<String, AttributeValue> item) {
        AttributeValue c = item.get(CHECKPOINT);
        String checkpoint = c == null || c.s() == null ? "TRIM_HORIZON" : c.s();
        AttributeValue s = item.get(SUB_SEQUENCE);
        long sub = s == null || s.n() == null ? 0 : Long.parseLong(s.n());
        if (checkpoint.equals("SHARD_END")) {
            return new ShardProgress(ShardProgress.State.FULLY_READ, checkpoint, sub);
        }
        if (!checkpoint.isEmpty() && checkpoint.chars().allMatch(Character::isDigit)) {
            return new ShardProgress(ShardProgress.State.READ_TO, checkpoint, sub);
        }
        // TRIM_HORIZON, LATEST, AT_TIMESTAMP: KCL has not checkpointed a record of this shard yet.
        return new ShardProgress(ShardProgress.State.NOT_STARTED, checkpoint, sub);
    }

    /** Whether there are checkpoints to judge by. */
    public boolean visible() {
        return visible;
    }

    /** Which evidence the judgement used, for the report or the answer. */
    public String evidence() {
        return evidence;
    }

    /** The lease table read, or null when none was. */
    public String table() {
        return table;
    }

    /** Shard id → progress, for the shards with a lease. */
    public Map<String, ShardProgress> leases() {
        return leases;
    }

    /**
     * Where the consumer is in {@code shardId}. A shard without a lease was read to its end when it is closed and
     * KCL cleaned its lease up — which KCL does only after the shard's children started, and they name it as their
     * parent — and has not been started otherwise (an open shard KCL has not taken up yet).
     *
     * @param closed whether the caller knows the shard is closed (the stream-checker lists the shards); false
     *               when it cannot know (the checker API), and then only the children's parent links tell
     * @return null when there are no checkpoints to judge by
     */
    public ShardProgress shard(String shardId, boolean closed) {
        if (!visible) {
            return null;
        }
        ShardProgress lease = leases.get(shardId);
        if (lease != null) {
            return lease;
        }
        return closed || parents.contains(shardId)
                ? new ShardProgress(ShardProgress.State.FULLY_READ, "none", 0)
                : new ShardProgress(ShardProgress.State.NOT_STARTED, "none", 0);
    }

    /** The status with lag told from loss: undelivered after the shard's checkpoint is pending; everything else as it was. */
    public KeyStatus judge(KeyStatus status, boolean closed) {
        if (status.classification() != Classification.UNDELIVERED || !visible) {
            return status;
        }
        ShardProgress progress = shard(status.key().shardId(), closed);
        return progress.ahead(status.key()) ? new KeyStatus(status.key(), Classification.PENDING, 0) : status;
    }
}
