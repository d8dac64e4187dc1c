package io.streamwreck.streamchecker;

import io.streamwreck.core.cli.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code stream-checker.jar merge a.json b.json … [--format html]}: joins the JSON reports of scans of parts of one
 * stream ({@code --shards i/N}, one per machine) into one report, as if one scan had read every shard
 * ({@link ReportMerge}). Also turns one JSON report into text or a page.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
        description = {"Joins JSON reports of the same stream, application and scan window — typically the parts of a "
                + "scan split across machines with --shards i/N — into one report: shards side by side, counts and "
                + "timelines added, drifted keys in key order. Refuses reports of different streams, applications or "
                + "scan windows, and a shard that is in two reports. Given one report, it only converts it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no drift in the merged report", "1:drift in the merged report",
                "2:usage error, a file that is not a JSON report, or reports that do not merge (the error says why)"},
        footerHeading = "%nExample:%n",
        footer = {"  java -jar stream-checker.jar -s orders -a billing --shards 1/2 --format json -o a.json   # host 1%n"
                + "  java -jar stream-checker.jar -s orders -a billing --shards 2/2 --format json -o b.json   # host 2%n"
                + "  java -jar stream-checker.jar merge a.json b.json --format html -o report.html"})
final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "REPORT.json", description = "JSON reports (--format json) to join.")
    List<Path> files;

    @Option(names = "--format", defaultValue = "json", paramLabel = "text|json|html",
            description = "Format of the merged report, as for a scan (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--show", defaultValue = "20", paramLabel = "N",
            description = "Drifted keys listed in the text report (default: ${DEFAULT-VALUE}).")
    int show;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path output;

    @Option(names = "--max-apart", defaultValue = "10m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The parts' scans must have started within this of each other: further apart, they judged "
                    + "different windows of the stream (default: ${DEFAULT-VALUE}).")
    Duration maxApart;

    @Override
    public Integer call() throws Exception {
        ReportFormat reportFormat = ReportFormat.parse(format).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--format must be text, json or html, was \"" + format + "\""));
        if (show < 0) {
            throw new ParameterException(spec.commandLine(), "--show must be 0 or more, was " + show);
        }
        if (output != null) {
            StreamCheckerMain.requireWritable(spec.commandLine(), output);
        }
        List<ReportMerge.Named> reports = new ArrayList<>();
        for (Path file : files) {
            reports.add(new ReportMerge.Named(file.toString(), ReportFile.read(file)));
        }
        ScanReport merged = ReportMerge.merge(reports, maxApart);
        reportFormat.write(merged, show, output, spec.commandLine().getOut());
        return merged.drift() ? 1 : 0;
    }
}
