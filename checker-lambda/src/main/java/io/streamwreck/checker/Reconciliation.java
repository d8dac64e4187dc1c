package io.streamwreck.checker;

import io.streamwreck.ledger.Classification;
import io.streamwreck.ledger.ConsumerCheckpoints;
import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.Scope;
import io.streamwreck.ledger.ShardProgress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer to one reconcile request (DESIGN.md "Classification"), keys in the form they were asked and in
 * the order they were asked. {@code unprocessed} is {@code skipped} ∪ {@code undelivered}, interleaved as asked.
 *
 * @param checked   how many distinct keys were classified
 * @param processed how many of them were processed exactly once (they are not listed)
 * @param pending   keys after their shard's checkpoint that the consumer has not reached yet: lag, never in
 *                  {@code unprocessed}
 * @param evidence  what told pending from undelivered: the lease table, or why there was none (then the settle
 *                  window alone decides, and nothing is pending); null when nothing was asked
 * @param checkpoints the checkpoint of every shard a listed pending or undelivered key is in, when the lease table was read
 */
record Reconciliation(Scope scope, KeyForm form, int checked, int processed, List<String> unprocessed,
                      List<String> skipped, List<String> undelivered, List<Duplicate> duplicated,
                      List<Ambiguous> ambiguous, List<String> pending, String evidence,
                      Map<String, ShardProgress> checkpoints) {

    /** A key processed more than once, and how many times. */
    record Duplicate(String key, long count) {
    }

    /** A bare sequence number found in several shards: which ones (ask again with qualified keys). */
    record Ambiguous(String key, List<String> shards) {
    }

    /** Collects the statuses of one request's keys, in request order. */
    static final class Builder {
        private final Scope scope;
        private final KeyForm form;
        private int checked;
        private int processed;
        private final List<String> unprocessed = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();
        private final List<String> undelivered = new ArrayList<>();
        private final List<Duplicate> duplicated = new ArrayList<>();
        private final List<Ambiguous> ambiguous = new ArrayList<>();
        private final List<String> pending = new ArrayList<>();
        private final Map<String, ShardProgress> checkpoints = new TreeMap<>();
        private final ConsumerCheckpoints consumer;

        Builder(Scope scope, KeyForm form) {
            this(scope, form, null);
        }

        /** @param consumer the application's checkpoints the statuses were judged by, or null */
        Builder(Scope scope, KeyForm form, ConsumerCheckpoints consumer) {
            this.scope = scope;
            this.form = form;
            this.consumer = consumer;
        }

        /** The key, as asked, with its status from the ledger. */
        Builder add(String key, KeyStatus status) {
            checked++;
            switch (status.classification()) {
                case PROCESSED -> processed++;
                case DUPLICATED -> duplicated.add(new Duplicate(key, status.count()));
                case SKIPPED -> unprocessed(key, skipped);
                case UNDELIVERED -> unprocessed(key, undelivered);
                case PENDING -> pending.add(key);
            }
            if (consumer != null && consumer.visible()
                    && (status.classification() == Classification.UNDELIVERED || status.classification() == Classification.PENDING)) {
                String shard = status.key().shardId();
                checkpoints.computeIfAbsent(shard, s -> consumer.shard(s, false));
            }
            return this;
        }

        /** A bare sequence number found in no shard of the scope. */
        Builder notFound(String key) {
            return notFound(key, false);
        }

        /** A bare sequence number found in no shard of the scope; pending when some shard's consumer has not reached it. */
        Builder notFound(String key, boolean pendingSomewhere) {
            checked++;
            if (pendingSomewhere) {
                pending.add(key);
            } else {
                unprocessed(key, undelivered);
            }
            return this;
        }

        Builder ambiguous(String key, List<String> shards) {
            checked++;
            ambiguous.add(new Ambiguous(key, List.copyOf(shards)));
            return this;
        }

        private void unprocessed(String key, List<String> list) {
            list.add(key);
            unprocessed.add(key);
        }

        Reconciliation build() {
            return new Reconciliation(scope, form, checked, processed, unprocessed, skipped, undelivered, duplicated, ambiguous,
                    pending, consumer == null ? null : consumer.evidence(), checkpoints);
        }
    }
}
