package io.streamwreck.cfn;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a deployment jar's own code can read, found in its compiled classes rather than in
 * a hand-kept list, so a variable the code starts reading tomorrow shows up here without anyone updating a test.
 *
 * <p>Two spellings are recognised: a string literal that is an UPPER_SNAKE name with at least one underscore
 * ({@code env.get("REDIS_URL")}, {@code System.getenv("AWS_REGION")}, a helper called with the name; a literal
 * prefix such as {@code "AWS_ENDPOINT_URL_"} keeps its trailing underscore, also inside a string concatenation), and picocli's
 * {@code ${env:NAME}} / {@code ${env:NAME:-default}} in option defaults (annotation values are UTF-8
 * constants, not literals). An enum's own constant names are literals too (its generated code passes them to
 * the constructor) and are left out. It over-approximates — a literal that merely looks like a variable counts —
 * which errs on the safe side: such a name has to be explained in the test that uses this.
 */
final class EnvironmentNames {

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+_?");
    private static final Pattern PICOCLI = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)");

    private EnvironmentNames() {
    }

    /** Names read by the classes under {@code io/streamwreck/} in this jar (the project's code, not libraries'). */
    static Set<String> readBy(Path jar) {
        return readBy(JarClasses.read(jar, name -> name.startsWith("io/streamwreck/")));
    }

    static Set<String> readBy(List<ClassConstants> classes) {
        Set<String> names = new TreeSet<>();
        for (ClassConstants c : classes) {
            for (String literal : c.stringLiterals) {
                // "AWS_ENDPOINT_URL_" + name() compiles to the concatenation recipe "AWS_ENDPOINT_URL_\u0001":
                // the constant parts sit between the placeholders.
                for (String part : literal.split("[\u0001\u0002]")) {
                    if (NAME.matcher(part).matches() && !c.enumConstants.contains(part)) {
                        names.add(part);
                    }
                }
            }
            for (String text : c.utf8) {
                Matcher m = PICOCLI.matcher(text);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
