package io.streamwreck.cfn;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege, checked: no IAM statement grants a wildcard action; a wildcard resource appears only for
 * actions that cannot name a resource; and the processor's task role grants exactly the API calls the code in
 * its image can make (KCL 2.7.2 and the processor), read from the compiled classes.
 */
class IamTest {

    /** Actions that have no resource-level permissions, or whose resources do not exist yet, and why. */
    private static final Map<String, String> NO_KNOWN_RESOURCE = Map.of(
            "ec2:CreateNetworkInterface", "Lambda creates the VPC function's interfaces; they do not exist yet",
            "ec2:DeleteNetworkInterface", "the interfaces Lambda created; not known to the template",
            "ec2:AssignPrivateIpAddresses", "on those interfaces",
            "ec2:UnassignPrivateIpAddresses", "on those interfaces",
            "ec2:DescribeNetworkInterfaces", "Describe actions have no resource-level permissions",
            "ec2:DescribeSubnets", "Describe actions have no resource-level permissions",
            "ecr:GetAuthorizationToken", "no resource-level permissions (a registry login)",
            "cloudwatch:PutMetricData", "no resource-level permissions; restricted by the cloudwatch:namespace condition");

    /** SDK client methods the code references that the role deliberately does not allow, and why. */
    private static final Map<String, String> NOT_GRANTED = Map.of(
            "dynamodb:CreateTable", "the template creates the lease table; KCL and the processor create it only when missing",
            "dynamodb:UpdateContinuousBackups", "KCL calls it only with its lease-table PITR option on; it is off");

    @Test
    void noStatementGrantsAWildcardAction() {
        for (Template t : List.of(Repo.template(), Repo.vpc())) {
            for (Policies.Statement s : Policies.of(t)) {
                assertThat(s.body()).as(s.where()).doesNotContainKeys("NotAction", "NotResource", "NotPrincipal");
                assertThat(s.actions()).as(s.where()).isNotEmpty()
                        .allSatisfy(a -> assertThat(a).as(s.where()).matches("[a-z0-9-]+:[A-Za-z0-9]+"));
            }
        }
    }

    @Test
    void aWildcardResourceOnlyWhereNoResourceCanBeNamed() {
        for (Policies.Statement s : Policies.of(Repo.template())) {
            List<Object> resources = s.resources();
            assertThat(resources).as(s.where()).isNotEmpty();
            if (resources.contains("*")) {
                assertThat(resources).as("%s: \"*\" next to real resources", s.where()).containsExactly("*");
                assertThat(NO_KNOWN_RESOURCE).as("%s: %s on \"*\"", s.where(), s.actions())
                        .containsKeys(s.actions().toArray(String[]::new));
            }
            for (Object r : resources) {
                if (r instanceof String literal && !literal.equals("*")) {
                    assertThat(literal).as(s.where()).doesNotContain("*");
                }
                if (r instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof String sub && sub.contains("*")) {
                    // Only a fan-out consumer's creation timestamp, unknown until KCL registers it, is left open, and
                    // the objects of the adapter's log bucket (keys are whatever the writers of log files choose).
                    assertThat(sub.endsWith("/consumer/${ApplicationName}:*") || sub.equals("arn:${AWS::Partition}:s3:::${LogBucket}/*"))
                            .as("%s: %s", s.where(), sub).isTrue();
                }
            }
            if (s.actions().contains("cloudwatch:PutMetricData")) {
                assertThat(Template.at(s.body(), "Condition", "StringEquals", "cloudwatch:namespace"))
                        .as("%s: PutMetricData limited to the application's namespace", s.where())
                        .isEqualTo(Map.of("Ref", "ApplicationName"));
            }
        }
    }

    @Test
    void theProcessorRoleGrantsExactlyTheCallsInItsImage() {
        Set<String> called = new TreeSet<>(SdkCalls.in(Repo.builtJar("../processor/target/processor.jar")));
        assertThat(called).as("the scan sees KCL's calls").contains("kinesis:GetRecords", "dynamodb:UpdateItem");
        called.removeAll(NOT_GRANTED.keySet());

        Set<String> granted = new TreeSet<>();
        for (Policies.Statement s : Policies.of(Repo.template())) {
            if (s.where().startsWith("ProcessorTaskRole/")) {
                granted.addAll(s.actions());
            }
        }
        assertThat(granted).isEqualTo(called);
    }

    @Test
    void theAdapterRoleGrantsExactlyTheCallsInItsJarOnItsBucketQueueAndStream() {
        Set<String> called = new TreeSet<>(SdkCalls.in(Repo.builtJar("../adapter/target/adapter.jar")));
        assertThat(called).as("the scan sees the S3 reads (HeadObject as GetObject), the queue and the writer's puts")
                .contains("s3:GetObject", "sqs:ReceiveMessage", "sqs:DeleteMessage", "kinesis:PutRecords");

        Set<String> granted = new TreeSet<>();
        for (Policies.Statement s : Policies.of(Repo.template())) {
            if (s.where().startsWith("AdapterTaskRole/")) {
                granted.addAll(s.actions());
                Object resource = s.body().get("Resource");
                // Each on this stack's one bucket (its objects), queue or stream; never "*".
                assertThat(resource).as(s.where()).isInstanceOf(Map.class);
                assertThat(resource.toString()).as(s.where()).containsAnyOf("LogBucket", "AdapterQueue", "RecordsStream");
            }
        }
        assertThat(granted).isEqualTo(called);
    }

    @Test
    void theAdapterTasksReadOnlyTheDatabaseSecret() {
        List<Policies.Statement> secrets = Policies.of(Repo.template()).stream()
                .filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("secretsmanager:"))).toList();
        // Fargate (the execution role) injects the password; the adapter's own role never sees Secrets Manager.
        assertThat(secrets).singleElement().satisfies(s -> {
            assertThat(s.where()).startsWith("AdapterExecutionRole/");
            assertThat(s.actions()).containsExactly("secretsmanager:GetSecretValue");
            assertThat(s.body().get("Resource").toString()).contains("MasterUserSecret.SecretArn").doesNotContain("*");
        });
    }

    @Test
    void theCheckerRoleGrantsExactlyTheAwsCallsInItsJarOnTheLeaseTablesOnly() {
        // The checker reads KCL lease tables (pending vs undelivered); nothing else of AWS.
        Set<String> called = new TreeSet<>(SdkCalls.in(Repo.builtJar("../checker-lambda/target/checker-lambda.jar")));
        assertThat(called).isEqualTo(Set.of("dynamodb:Scan"));

        List<Policies.Statement> dynamo = Policies.of(Repo.template()).stream()
                .filter(s -> s.where().startsWith("CheckerRole/") && s.actions().stream().anyMatch(a -> a.startsWith("dynamodb:")))
                .toList();
        assertThat(dynamo).singleElement().satisfies(s -> {
            assertThat(s.actions()).containsExactly("dynamodb:Scan");
            // This stack's lease table, and the ones the CheckedLeaseTableArns parameter names.
            assertThat(s.body().get("Resource").toString()).contains("LeaseTable", "CheckedLeaseTableArns").doesNotContain("*");
        });
    }

    @Test
    void fanOutPermissionsOnlyWithFanOut() {
        Template t = Repo.template();
        List<Object> statements = Template.list(Template.at(
                Template.list(t.properties("ProcessorTaskRole").get("Policies")).get(0), "PolicyDocument", "Statement"));
        Set<String> unconditional = new TreeSet<>();
        for (Object s : statements) {
            if (!Template.map(s).containsKey("Fn::If")) {
                unconditional.addAll(Policies.strings(Template.map(s).get("Action")));
            }
        }
        assertThat(unconditional).doesNotContain("kinesis:RegisterStreamConsumer", "kinesis:SubscribeToShard",
                "kinesis:DescribeStreamConsumer");
    }
}
