package io.streamwreck.core.cli;

import picocli.CommandLine;

/**
 * The error conventions every streamwreck jar shares (producer, processor, stream-checker): bad input or a failure
 * is one {@code error: …} line on stderr and exit code 2 — never a stack trace. A usage error also points at
 * {@code --help}.
 */
public final class CliConventions {

    private CliConventions() {
    }

    /** Applies the conventions to {@code cli} and returns it. */
    public static CommandLine apply(CommandLine cli) {
        cli.setExitCodeExceptionMapper(e -> 2);
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("error: " + oneLine(message(e)) + " (try --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
            return 2;
        });
        return cli;
    }

    /** picocli's message, or the streamwreck wording of an {@link OptionValueException} (the option named first). */
    private static String message(CommandLine.ParameterException e) {
        if (e.getCause() instanceof OptionValueException refused && e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            return refused.messageFor(option.longestName());
        }
        return e.getMessage();
    }

    /** A message folded onto one line, so "one line on stderr" holds whatever the exception said. */
    public static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
