package io.streamwreck.checker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.Scope;

import java.util.List;

/**
 * One validated {@code POST /reconcile}: the scope, and the distinct keys asked about in the order first given.
 *
 * @param texts the keys as given (canonical: validation rejects any other spelling), without repeats
 * @param keys  for {@link KeyForm#QUALIFIED}, the parsed keys, one per text; empty for {@link KeyForm#BARE}
 */
record ReconcileRequest(Scope scope, KeyForm form, List<String> texts, List<RecordKey> keys) {
}
