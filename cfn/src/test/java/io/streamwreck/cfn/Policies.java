package io.streamwreck.cfn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every IAM policy statement of a template, with where it is, both branches of an {@code Fn::If} included. */
final class Policies {

    record Statement(String where, Map<String, Object> body) {
        List<String> actions() {
            return strings(body.get("Action"));
        }

        /** Resources; an intrinsic function (a known ARN: Ref, GetAtt, Sub) is shown as its long form. */
        List<Object> resources() {
            return Template.list(body.get("Resource"));
        }
    }

    private Policies() {
    }

    static List<Statement> of(Template t) {
        List<Statement> all = new ArrayList<>();
        t.resources().forEach((id, r) -> {
            Map<String, Object> props = t.properties(id);
            String type = String.valueOf(Template.map(r).get("Type"));
            switch (type) {
                case "AWS::IAM::Role" -> {
                    for (Object p : Template.list(props.getOrDefault("Policies", List.of()))) {
                        add(all, id + "/" + Template.map(p).get("PolicyName"), Template.map(p).get("PolicyDocument"));
                    }
                }
                case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" -> add(all, id, props.get("PolicyDocument"));
                case "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy" -> add(all, id, props.get("PolicyDocument"));
                case "AWS::Serverless::Function" -> {
                    Object inline = props.get("Policies");
                    if (inline != null) {
                        throw new AssertionError(id + ": SAM policy templates hide their statements from this test; "
                                + "write a role with explicit statements instead");
                    }
                }
                default -> {
                }
            }
        });
        return all;
    }

    private static void add(List<Statement> all, String where, Object document) {
        for (Object s : Template.list(Template.map(document).get("Statement"))) {
            for (Map<String, Object> branch : branches(s)) {
                all.add(new Statement(where, branch));
            }
        }
    }

    /** A statement, or the non-empty branches of {@code Fn::If [condition, then, else]}. */
    private static List<Map<String, Object>> branches(Object statement) {
        Map<String, Object> m = Template.map(statement);
        if (!m.containsKey("Fn::If")) {
            return List.of(m);
        }
        List<Object> args = Template.list(m.get("Fn::If"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object branch : args.subList(1, 3)) {
            if (!(branch instanceof Map<?, ?> b && Map.of("Ref", "AWS::NoValue").equals(b))) {
                out.addAll(branches(branch));
            }
        }
        return out;
    }

    static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object v : Template.list(o)) {
            out.add(String.valueOf(v));
        }
        return out;
    }
}
