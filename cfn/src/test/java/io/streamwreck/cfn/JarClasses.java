package io.streamwreck.cfn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** The classes of a deployment jar whose names pass a filter, each read by {@link ClassConstants}. */
final class JarClasses {

    private JarClasses() {
    }

    static List<ClassConstants> read(Path jar, Predicate<String> entryName) {
        List<ClassConstants> classes = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                // Multi-release variants repeat classes already read; module-info is no class to scan.
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")
                        && !e.getName().endsWith("module-info.class") && entryName.test(e.getName())) {
                    try (InputStream in = file.getInputStream(e)) {
                        classes.add(ClassConstants.read(in.readAllBytes()));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + jar, e);
        }
        return classes;
    }
}
