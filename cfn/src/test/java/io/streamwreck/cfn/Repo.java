package io.streamwreck.cfn;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are: the cfn module runs its tests with the module folder as working directory. */
final class Repo {

    private Repo() {
    }

    static Path cfn() {
        Path here = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        if (Files.isRegularFile(here.resolve("template.yaml"))) {
            return here;
        }
        if (Files.isRegularFile(here.resolve("cfn/template.yaml"))) {
            return here.resolve("cfn");
        }
        throw new IllegalStateException("cannot find cfn/template.yaml from " + here);
    }

    static Path root() {
        return cfn().getParent();
    }

    static Template template() {
        return Template.load(cfn().resolve("template.yaml"));
    }

    static Template vpc() {
        return Template.load(cfn().resolve("vpc.yaml"));
    }

    /** A module's deployment jar, failing with what to run when it has not been built. */
    static Path builtJar(String relativeToCfn) {
        Path jar = cfn().resolve(relativeToCfn).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " does not exist: build it first (mvn install -DskipTests -pl "
                    + jar.getParent().getParent().getFileName() + " -am)");
        }
        return jar;
    }
}
