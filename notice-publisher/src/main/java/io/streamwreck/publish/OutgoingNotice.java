package io.streamwreck.publish;

import io.streamwreck.core.notice.Notice;

import java.nio.charset.StandardCharsets;

/** A notice ready to publish: encoded once, its size known (SNS counts UTF-8 bytes of body and attributes). */
public record OutgoingNotice(Notice notice, String json, int bytes) {

    public static OutgoingNotice of(Notice notice, String json) {
        return new OutgoingNotice(notice, json, json.getBytes(StandardCharsets.UTF_8).length);
    }

    /** The SNS message size: the body plus the {@code stream}, {@code app} and {@code shardId} attributes. */
    public int messageBytes() {
        return bytes + NoticeAttributes.bytes(notice);
    }
}
