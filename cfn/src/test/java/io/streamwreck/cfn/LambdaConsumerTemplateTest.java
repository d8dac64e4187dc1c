package io.streamwreck.cfn;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example Lambda consumer: its event source mapping has the settings the wrapper's notices rely on, and its role
 * grants what it needs (read the stream, publish notices, send to its on-failure queue) on those resources only.
 */
class LambdaConsumerTemplateTest {

    @Test
    void theEventSourceMappingReportsItemFailuresBisectsRetriesTwiceThenSendsToTheFailureQueue() {
        Template t = Repo.template();
        Map<String, Object> events = Template.map(t.properties("ConsumerFunction").get("Events"));
        assertThat(events).hasSize(1);
        Map<String, Object> event = Template.map(events.values().iterator().next());
        assertThat(event.get("Type")).isEqualTo("Kinesis");
        Map<String, Object> props = Template.map(event.get("Properties"));
        assertThat(props.get("Stream")).isEqualTo(Map.of("Fn::GetAtt", List.of("RecordsStream", "Arn")));
        assertThat(props.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        assertThat(props.get("BisectBatchOnFunctionError")).isEqualTo(true);
        assertThat(props.get("MaximumRetryAttempts")).isEqualTo(2);
        assertThat(Template.at(props, "DestinationConfig", "OnFailure", "Destination"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of("ConsumerFailureQueue", "Arn")));
        assertThat(Template.at(t.properties("ConsumerFunction"), "Environment", "Variables", "TOPIC_ARN"))
                .isEqualTo(Map.of("Ref", "NoticesTopic"));
    }

    @Test
    void theRoleReadsTheStreamPublishesNoticesAndSendsFailuresOnTheirOwnResources() {
        Map<String, Object> byAction = new HashMap<>();
        for (Policies.Statement s : Policies.of(Repo.template())) {
            if (s.where().startsWith("ConsumerRole/")) {
                s.actions().forEach(a -> byAction.put(a, s.resources()));
            }
        }
        Set<String> kinesis = byAction.keySet().stream().filter(a -> a.startsWith("kinesis:")).collect(Collectors.toSet());
        assertThat(kinesis).containsExactlyInAnyOrder("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
                "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards");
        kinesis.forEach(a -> assertThat(byAction.get(a)).as(a)
                .isEqualTo(List.of(Map.of("Fn::GetAtt", List.of("RecordsStream", "Arn")))));
        assertThat(byAction.get("sns:Publish")).isEqualTo(List.of(Map.of("Ref", "NoticesTopic")));
        assertThat(byAction.get("sqs:SendMessage")).isEqualTo(List.of(Map.of("Fn::GetAtt", List.of("ConsumerFailureQueue", "Arn"))));
        assertThat(byAction).doesNotContainKeys("sns:Subscribe", "kinesis:PutRecord", "kinesis:PutRecords", "sqs:ReceiveMessage");
    }
}
