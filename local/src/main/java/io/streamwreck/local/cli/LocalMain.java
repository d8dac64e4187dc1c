package io.streamwreck.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar local/target/local.jar run|up|demo|startup-bench}: the local system from the command line
 * (what {@code make up}, {@code make run} and {@code make bench} call).
 */
@Command(name = "local.jar", mixinStandardHelpOptions = true, version = "streamwreck local 0.1.0",
        description = "Runs streamwreck's local stand-ins for AWS (kinesis-local, DynamoDB Local, Redis, moto) on 127.0.0.1.",
        subcommands = {RunCommand.class, UpCommand.class, DemoCommand.class, StartupBenchCommand.class, LambdaConsumerCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:run: the drift found is not the drift simulated; demo: it read back something other than it wrote",
                "2:usage error, or a stand-in could not be started"})
public final class LocalMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with streamwreck's error conventions: one line and exit 2 for bad input or failure. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LocalMain());
        cli.setExitCodeExceptionMapper(e -> 2);
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage() + " (try --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 2;
        });
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: run, up, demo, startup-bench or lambda-consumer");
    }
}
