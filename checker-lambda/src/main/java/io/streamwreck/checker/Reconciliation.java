package io.streamwreck.checker;

import io.streamwreck.ledger.KeyStatus;
import io.streamwreck.ledger.Scope;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to one reconcile request (DESIGN.md "Classification"), keys in the form they were asked and in
 * the order they were asked. {@code unprocessed} is {@code skipped} ∪ {@code undelivered}, interleaved as asked.
 *
 * @param checked   how many distinct keys were classified
 * @param processed how many of them were processed exactly once (they are not listed)
 */
record Reconciliation(Scope scope, KeyForm form, int checked, int processed, List<String> unprocessed,
                      List<String> skipped, List<String> undelivered, List<Duplicate> duplicated,
                      List<Ambiguous> ambiguous) {

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

        Builder(Scope scope, KeyForm form) {
            this.scope = scope;
            this.form = form;
        }

        /** The key, as asked, with its status from the ledger. */
        Builder add(String key, KeyStatus status) {
            checked++;
            switch (status.classification()) {
                case PROCESSED -> processed++;
                case DUPLICATED -> duplicated.add(new Duplicate(key, status.count()));
                case SKIPPED -> unprocessed(key, skipped);
                case UNDELIVERED -> unprocessed(key, undelivered);
            }
            return this;
        }

        /** A bare sequence number found in no shard of the scope. */
        Builder notFound(String key) {
            checked++;
            unprocessed(key, undelivered);
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
            return new Reconciliation(scope, form, checked, processed, unprocessed, skipped, undelivered, duplicated, ambiguous);
        }
    }
}
