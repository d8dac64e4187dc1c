package io.streamwreck.cfn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API is authorised, data is encrypted, Redis has TLS and AUTH, and only the Lambdas reach Redis; the adapter's
 * webhook is open to the VPC only, its database to the adapter only, and it stops within its task's stop timeout.
 */
class SecurityTest {

    private final Template t = Repo.template();

    @Test
    void theApiNeedsIamAuthorisationOnEveryRoute() {
        var apis = t.resourcesOfType("AWS::Serverless::Api");
        assertThat(apis).containsOnlyKeys("CheckerApi");
        assertThat(Template.at(t.properties("CheckerApi"), "Auth", "DefaultAuthorizer")).isEqualTo("AWS_IAM");
        Map<String, Object> events = Template.map(t.properties("CheckerFunction").get("Events"));
        assertThat(events).hasSize(2);
        for (var e : events.entrySet()) {
            Map<String, Object> props = Template.map(Template.map(e.getValue()).get("Properties"));
            assertThat(props.get("RestApiId")).as(e.getKey()).isEqualTo(Map.of("Ref", "CheckerApi"));
            // A route may override the default; none may switch it off.
            assertThat(Template.at(props, "Auth", "Authorizer")).as(e.getKey()).isNull();
        }
        assertThat(events.values()).extracting(e -> Template.at(e, "Properties", "Method") + " "
                + Template.at(e, "Properties", "Path")).containsExactlyInAnyOrder("post /reconcile", "get /health");
        assertThat(t.resourcesOfType("AWS::Lambda::Permission")).as("no hand-made invoke permissions").isEmpty();
        assertThat(t.resourcesOfType("AWS::Lambda::Url")).as("no function URLs").isEmpty();
    }

    @Test
    void redisHasTlsAuthAndEncryptionAtRest() {
        Map<String, Object> redis = t.properties("Redis");
        assertThat(redis.get("TransitEncryptionEnabled")).isEqualTo(true);
        assertThat(redis.get("AtRestEncryptionEnabled")).isEqualTo(true);
        assertThat(redis.get("AutomaticFailoverEnabled")).isEqualTo(true);
        assertThat(redis.get("MultiAZEnabled")).isEqualTo(true);
        assertThat(redis).doesNotContainKey("TransitEncryptionMode"); // "preferred" would accept plain text
        // Ledger keys all carry TTLs: an evicting policy would silently turn processed records into drift.
        assertThat(redis.get("CacheParameterGroupName")).isEqualTo(Map.of("Ref", "RedisParameters"));
        assertThat(Template.at(t.properties("RedisParameters"), "Properties", "maxmemory-policy")).isEqualTo("noeviction");
        String secret = "{{resolve:secretsmanager:${RedisAuthSecret}:SecretString:token}}";
        assertThat(redis.get("AuthToken")).isEqualTo(Map.of("Fn::Sub", secret));
        assertThat(t.resourcesOfType("AWS::SecretsManager::Secret")).containsKey("RedisAuthSecret");

        // The functions connect with TLS (rediss://) and the same token.
        Object url = Template.at(t.functionGlobals(), "Environment", "Variables", "REDIS_URL");
        assertThat(url).isInstanceOf(Map.class);
        String sub = (String) Template.map(url).get("Fn::Sub");
        assertThat(sub).startsWith("rediss://:" + secret + "@${Redis.PrimaryEndPoint.Address}:");
    }

    @Test
    void dataIsEncryptedAtRest() {
        assertThat(t.properties("NoticesTopic").get("KmsMasterKeyId")).isNotNull();
        assertThat(Template.at(t.properties("RecordsStream"), "StreamEncryption", "EncryptionType")).isEqualTo("KMS");
        for (var q : t.resourcesOfType("AWS::SQS::Queue").keySet()) {
            Map<String, Object> props = t.properties(q);
            assertThat(props.get("SqsManagedSseEnabled") == Boolean.TRUE || props.containsKey("KmsMasterKeyId"))
                    .as(q).isTrue();
        }
    }

    @Test
    void onlyTheLambdasReachRedis() {
        // Redis sits in its own group ...
        assertThat(t.properties("Redis").get("SecurityGroupIds")).isEqualTo(List.of(Map.of("Ref", "RedisSecurityGroup")));
        // ... which lets in nothing inline, and exactly one rule from outside: the Lambdas' group, on 6379.
        assertThat(t.properties("RedisSecurityGroup")).doesNotContainKey("SecurityGroupIngress");
        List<Map<String, Object>> intoRedis = new ArrayList<>();
        t.resourcesOfType("AWS::EC2::SecurityGroupIngress").forEach((id, r) -> {
            if (Map.of("Ref", "RedisSecurityGroup").equals(t.properties(id).get("GroupId"))) {
                intoRedis.add(t.properties(id));
            }
        });
        assertThat(intoRedis).singleElement().satisfies(rule -> {
            assertThat(rule.get("SourceSecurityGroupId")).isEqualTo(Map.of("Ref", "LambdaSecurityGroup"));
            assertThat(rule).doesNotContainKeys("CidrIp", "CidrIpv6", "SourcePrefixListId");
            assertThat(rule.get("FromPort")).isEqualTo(6379);
            assertThat(rule.get("ToPort")).isEqualTo(6379);
        });
        // The Lambdas' group is used by the two functions and nothing else.
        assertThat(Template.at(t.functionGlobals(), "VpcConfig", "SecurityGroupIds"))
                .isEqualTo(List.of(Map.of("Ref", "LambdaSecurityGroup")));
        for (var fn : t.resourcesOfType("AWS::Serverless::Function").keySet()) {
            assertThat(t.properties(fn)).as(fn).doesNotContainKey("VpcConfig");
        }
        assertThat(Template.at(t.properties("ProcessorService"), "NetworkConfiguration", "AwsvpcConfiguration",
                "SecurityGroups")).isEqualTo(List.of(Map.of("Ref", "FleetSecurityGroup")));
        // No group opens an ingress inline: every rule is a resource of its own, each checked here or below (Redis, the
        // adapter's webhook, its database).
        t.resourcesOfType("AWS::EC2::SecurityGroup").forEach((id, r) ->
                assertThat(t.properties(id)).as(id).doesNotContainKey("SecurityGroupIngress"));
    }

    @Test
    void theFunctionsTheCacheAndTheFleetUseBothSubnets() {
        // The seed let only one of two subnets reach the cache; every placement here names both.
        List<Object> both = List.of(Map.of("Fn::ImportValue", Map.of("Fn::Sub", "${VpcStackName}-PrivateSubnet1")),
                Map.of("Fn::ImportValue", Map.of("Fn::Sub", "${VpcStackName}-PrivateSubnet2")));
        assertThat(Template.at(t.functionGlobals(), "VpcConfig", "SubnetIds")).isEqualTo(both);
        assertThat(t.properties("RedisSubnetGroup").get("SubnetIds")).isEqualTo(both);
        assertThat(Template.at(t.properties("ProcessorService"), "NetworkConfiguration", "AwsvpcConfiguration",
                "Subnets")).isEqualTo(both);
        assertThat(Template.at(t.properties("ProcessorService"), "NetworkConfiguration", "AwsvpcConfiguration",
                "AssignPublicIp")).isEqualTo("DISABLED");
        assertThat(Template.at(t.properties("AdapterService"), "NetworkConfiguration", "AwsvpcConfiguration",
                "Subnets")).isEqualTo(both);
        assertThat(Template.at(t.properties("AdapterService"), "NetworkConfiguration", "AwsvpcConfiguration",
                "AssignPublicIp")).isEqualTo("DISABLED");
        assertThat(t.properties("DatabaseSubnetGroup").get("SubnetIds")).isEqualTo(both);
    }

    @Test
    void theWebhookIsReachableFromInsideTheVpcOnly() {
        // The seed's endpoint was "not secure": no load balancer, no public address, no API in front of it.
        assertThat(t.resourcesOfType("AWS::ElasticLoadBalancingV2::LoadBalancer")).isEmpty();
        assertThat(t.resourcesOfType("AWS::ApiGatewayV2::Api")).isEmpty();
        assertThat(Template.at(t.properties("AdapterService"), "NetworkConfiguration", "AwsvpcConfiguration",
                "SecurityGroups")).isEqualTo(List.of(Map.of("Ref", "AdapterSecurityGroup")));
        List<Map<String, Object>> intoAdapter = ingressInto("AdapterSecurityGroup");
        assertThat(intoAdapter).singleElement().satisfies(rule -> {
            assertThat(rule.get("CidrIp")).isEqualTo(Map.of("Fn::ImportValue", Map.of("Fn::Sub", "${VpcStackName}-VpcCidr")));
            assertThat(rule).doesNotContainKeys("CidrIpv6", "SourcePrefixListId", "SourceSecurityGroupId");
            assertThat(rule.get("FromPort")).isEqualTo(8085);
            assertThat(rule.get("ToPort")).isEqualTo(8085);
        });
        // The port the rule opens is the one the adapter listens on, and only the container's.
        assertThat(adapterEnvironment()).containsEntry("ADAPTER_PORT", "8085").containsEntry("ADAPTER_BIND", "0.0.0.0");
        assertThat(Template.list(Template.at(adapterContainer(), "PortMappings")))
                .containsExactly(Map.of("ContainerPort", 8085, "Protocol", "tcp"));
        // Found by name inside the VPC (Cloud Map, a private DNS namespace), not from outside it.
        assertThat(t.resourcesOfType("AWS::ServiceDiscovery::PublicDnsNamespace")).isEmpty();
        assertThat(t.resourcesOfType("AWS::ServiceDiscovery::PrivateDnsNamespace")).containsOnlyKeys("AdapterNamespace");
    }

    @Test
    void onlyTheAdapterReachesItsDatabaseWhosePasswordIsGeneratedAndEncrypted() {
        List<Map<String, Object>> intoDatabase = ingressInto("DatabaseSecurityGroup");
        assertThat(intoDatabase).singleElement().satisfies(rule -> {
            assertThat(rule.get("SourceSecurityGroupId")).isEqualTo(Map.of("Ref", "AdapterSecurityGroup"));
            assertThat(rule).doesNotContainKeys("CidrIp", "CidrIpv6", "SourcePrefixListId");
            assertThat(rule.get("FromPort")).isEqualTo(5432);
        });
        Map<String, Object> rds = t.properties("Database");
        Map<String, Object> aurora = t.properties("DatabaseCluster");
        for (Map<String, Object> db : List.of(rds, aurora)) {
            assertThat(db.get("ManageMasterUserPassword")).isEqualTo(true);
            assertThat(db).doesNotContainKey("MasterUserPassword");
            assertThat(db.get("StorageEncrypted")).isEqualTo(true);
        }
        assertThat(rds.get("VPCSecurityGroups")).isEqualTo(List.of(Map.of("Ref", "DatabaseSecurityGroup")));
        assertThat(aurora.get("VpcSecurityGroupIds")).isEqualTo(List.of(Map.of("Ref", "DatabaseSecurityGroup")));
        assertThat(rds.get("MultiAZ")).isEqualTo(true);
        for (String instance : List.of("Database", "DatabaseWriter", "DatabaseReader")) {
            assertThat(t.properties(instance).get("PubliclyAccessible")).as(instance).isEqualTo(false);
        }
        // The parameter picks one of the two, never both.
        assertThat(Template.map(t.resources().get("Database")).get("Condition")).isEqualTo("UseRds");
        for (String aur : List.of("DatabaseCluster", "DatabaseWriter", "DatabaseReader")) {
            assertThat(Template.map(t.resources().get(aur)).get("Condition")).as(aur).isEqualTo("UseAurora");
        }
        assertThat(t.parameterDefault("DatabaseEngine")).contains("rds");
    }

    @Test
    void theLogBucketNotifiesTheQueueTheAdapterPollsAndNoOneElse() {
        Map<String, Object> bucket = t.properties("LogBucket");
        assertThat(Template.list(Template.at(bucket, "NotificationConfiguration", "QueueConfigurations"))).singleElement()
                .isEqualTo(Map.of("Event", "s3:ObjectCreated:*", "Queue", Map.of("Fn::GetAtt", List.of("AdapterQueue", "Arn"))));
        assertThat(Template.at(bucket, "PublicAccessBlockConfiguration", "RestrictPublicBuckets")).isEqualTo(true);
        assertThat(Template.at(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration")).isNotNull();
        assertThat(adapterEnvironment()).containsEntry("ADAPTER_QUEUE_URL", Map.of("Ref", "AdapterQueue"));

        Object statement = Template.list(Template.at(t.properties("AdapterQueuePolicy"), "PolicyDocument", "Statement")).get(0);
        assertThat(Template.at(statement, "Principal")).isEqualTo(Map.of("Service", "s3.amazonaws.com"));
        // The name in the condition is the bucket's name.
        assertThat(Template.at(statement, "Condition", "ArnEquals", "aws:SourceArn").toString())
                .contains(Template.map(bucket.get("BucketName")).get("Fn::Sub").toString());
        assertThat(Template.map(t.resources().get("LogBucket")).get("DependsOn")).isEqualTo("AdapterQueuePolicy");
    }

    @Test
    void theAdapterDrainsWithinItsTasksStopTimeout() {
        Object container = adapterContainer();
        int stopTimeout = (Integer) Template.map(container).get("StopTimeout");
        // Fargate's longest: past it the task is killed, and a longer value would be refused at deploy time.
        assertThat(stopTimeout).isLessThanOrEqualTo(120);
        String drain = (String) adapterEnvironment().get("ADAPTER_DRAIN_TIMEOUT");
        assertThat(drain).matches("[0-9]+s");
        int drainSeconds = Integer.parseInt(drain.substring(0, drain.length() - 1));
        // The margin: closing the HTTP server, the last summary line and the JVM's exit after the drain.
        assertThat(drainSeconds).isLessThanOrEqualTo(stopTimeout - 20);
        assertThat(Template.map(container).get("ReadonlyRootFilesystem")).isEqualTo(true);
    }

    private Object adapterContainer() {
        return Template.list(t.properties("AdapterTaskDefinition").get("ContainerDefinitions")).get(0);
    }

    private Map<String, Object> adapterEnvironment() {
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        for (Object e : Template.list(Template.at(adapterContainer(), "Environment"))) {
            env.put((String) Template.map(e).get("Name"), Template.map(e).get("Value"));
        }
        return env;
    }

    private List<Map<String, Object>> ingressInto(String group) {
        List<Map<String, Object>> rules = new ArrayList<>();
        t.resourcesOfType("AWS::EC2::SecurityGroupIngress").forEach((id, r) -> {
            if (Map.of("Ref", group).equals(t.properties(id).get("GroupId"))) {
                rules.add(t.properties(id));
            }
        });
        return rules;
    }

    @Test
    void theFleetMatchesTheIssue() {
        Map<String, Object> service = t.properties("ProcessorService");
        assertThat(service.get("LaunchType")).isEqualTo("FARGATE");
        assertThat(service.get("DesiredCount")).isEqualTo(Map.of("Ref", "FleetSize"));
        assertThat(Template.at(t.properties("LeaseTable"), "BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(t.properties("LeaseTable").get("TableName")).isEqualTo(Map.of("Ref", "ApplicationName"));
        assertThat(t.properties("LeaseTable").get("KeySchema"))
                .isEqualTo(List.of(Map.of("AttributeName", "leaseKey", "KeyType", "HASH")));
        assertThat(Set.of("Runtime", "VpcConfig")).allSatisfy(k -> assertThat(t.functionGlobals()).containsKey(k));
        assertThat(t.functionGlobals().get("Runtime")).isEqualTo("java21");
    }
}
