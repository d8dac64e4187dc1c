package io.streamwreck.systemtests;

import io.streamwreck.local.system.AuditTrail;
import io.streamwreck.local.system.LocalSystem;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Ground truth from the fleet's audit logs: how many times each record was handled, and which handled records
 * belong to notices their worker never saw accepted by SNS (a worker killed between handling a batch and publishing
 * it leaves those — the ledger cannot know about them).
 */
final class AuditTruth {

    private final Map<String, Integer> handled = new HashMap<>();
    private final Map<Integer, Set<String>> unconfirmed = new HashMap<>();

    static AuditTruth read(LocalSystem system, int workers) {
        AuditTruth truth = new AuditTruth();
        for (int n = 1; n <= workers; n++) {
            AuditTrail trail = AuditTrail.read(system.auditLog(n));
            trail.completed().forEach(key -> truth.handled.merge(key, 1, Integer::sum));
            truth.unconfirmed.put(n, trail.unconfirmed());
        }
        return truth;
    }

    /** Record key → times handled, over the whole fleet. */
    Map<String, Integer> handled() {
        return handled;
    }

    /** Keys worker {@code n} handled whose notice it never saw published. */
    Set<String> unconfirmed(int n) {
        return unconfirmed.getOrDefault(n, Set.of());
    }
}
