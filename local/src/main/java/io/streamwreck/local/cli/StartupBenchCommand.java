package io.streamwreck.local.cli;

import io.streamwreck.local.standin.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Measures how long the local stack takes to become ready: starts and stops it {@code --runs} times and
 * prints a Markdown table (median, min, max) of the whole stack and of each stand-in.
 */
@Command(name = "startup-bench", mixinStandardHelpOptions = true,
        description = "Starts and stops the local stack several times; prints ready times as a Markdown table.")
final class StartupBenchCommand implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "5", description = "How many starts to measure (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--state-dir", defaultValue = "target/startup-bench", description = "Where server logs go (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Override
    public Integer call() {
        if (runs < 1 || runs > 100) {
            throw new IllegalArgumentException("--runs must be between 1 and 100, was " + runs);
        }
        Map<String, List<Duration>> samples = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            try (LocalStack stack = LocalStack.start(stateDir)) {
                samples.computeIfAbsent("whole stack (parallel start)", k -> new ArrayList<>()).add(stack.readyTime());
                stack.startupTimes().forEach((name, d) -> samples.computeIfAbsent(name, k -> new ArrayList<>()).add(d));
                System.err.printf("run %d/%d: ready in %d ms %s%n", run, runs, stack.readyTime().toMillis(), stack.startupTimes());
            }
        }
        System.out.println("| what | median ms | min ms | max ms | runs |");
        System.out.println("|---|---:|---:|---:|---:|");
        samples.forEach((name, list) -> {
            List<Long> ms = list.stream().map(Duration::toMillis).sorted().toList();
            System.out.printf("| %s | %d | %d | %d | %d |%n", name, ms.get(ms.size() / 2), ms.get(0), ms.get(ms.size() - 1), ms.size());
        });
        return 0;
    }
}
