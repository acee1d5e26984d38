package org.slimj.cli;

import org.slimj.cli.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./slimj} command-line front. */
@Command(
    name = "slimj",
    mixinStandardHelpOptions = true,
    version = "slimj 0.1.0",
    description = "Slimmable neural networks on the JVM: train once, run at any width.",
    subcommands = {DemoCommand.class, org.slimj.cli.train.TrainCommand.class, org.slimj.cli.train.EvalCommand.class,
        InfoCommand.class, org.slimj.cli.search.SearchCommand.class, org.slimj.cli.profile.ProfileCommand.class,
        org.slimj.cli.infer.ExportCommand.class, org.slimj.cli.infer.PredictCommand.class, org.slimj.cli.infer.ServeCommand.class,
        org.slimj.cli.infer.LoadTestCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
  }

  /** Builds the configured command line (used by main and by tests). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("slimj: " + ex.getMessage() + " (try: " + c.getCommandSpec().qualifiedName() + " --help)");
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          String msg = ex instanceof java.nio.file.FileSystemException f
              ? "cannot access " + f.getFile() + ": " + org.slimj.engine.io.FileErrors.reason(f)
              : ex.getMessage() != null ? ex.getMessage() : ex.toString();
          cmd.getErr().println("slimj: " + cmd.getCommandName() + ": " + msg);
          return 1;
        });
    return cl;
  }

  /**
   * Runs the command line and exits with its status; running out of memory ends with one line of
   * advice (what to lower, which heap limit to ask for), not a stack trace.
   */
  public static void main(String[] args) {
    System.exit(OutOfMemoryAdvice.run(() -> commandLine().execute(args), System.err, Runtime.getRuntime().maxMemory()));
  }
}
