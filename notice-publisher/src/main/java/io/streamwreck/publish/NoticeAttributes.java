package io.streamwreck.publish;

import io.streamwreck.core.notice.Notice;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The message attributes every notice carries (DESIGN.md: {@code stream}, {@code app}, {@code shardId}), for SNS filter policies. */
public final class NoticeAttributes {

    private static final String TYPE = "String";

    private NoticeAttributes() {
    }

    public static Map<String, MessageAttributeValue> of(Notice notice) {
        return Map.of(
                "stream", string(notice.stream()),
                "app", string(notice.app()),
                "shardId", string(notice.shardId()));
    }

    /** What SNS counts for them: each name, type and value. */
    public static int bytes(Notice notice) {
        return utf8("stream") + utf8("app") + utf8("shardId") + 3 * TYPE.length()
                + utf8(notice.stream()) + utf8(notice.app()) + utf8(notice.shardId());
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType(TYPE).stringValue(value).build();
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
