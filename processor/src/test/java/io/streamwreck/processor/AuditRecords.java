package io.streamwreck.processor;

import io.streamwreck.core.RecordKey;
import io.streamwreck.local.system.AuditTrail;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A worker's audit log as record keys: the records its handler completed, in order, and which were reported. */
record AuditRecords(AuditTrail trail) {

    static AuditRecords read(Path file) {
        return new AuditRecords(AuditTrail.read(file));
    }

    List<RecordKey> completed() {
        return trail.completed().stream().map(RecordKey::parse).toList();
    }

    /** Completed records whose notice SNS accepted (per this log). */
    Set<RecordKey> reported() {
        Set<RecordKey> out = new HashSet<>();
        for (int i = 0; i < trail.completed().size(); i++) {
            if (trail.published().contains(trail.noticeOf().get(i))) {
                out.add(RecordKey.parse(trail.completed().get(i)));
            }
        }
        return out;
    }
}
