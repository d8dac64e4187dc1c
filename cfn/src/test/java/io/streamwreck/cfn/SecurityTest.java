package io.streamwreck.cfn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The API is authorised, data is encrypted, Redis has TLS and AUTH, and only the Lambdas reach Redis. */
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
        // No other group opens an ingress: nothing in the VPC listens but Redis.
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
