package org.slimj.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./slimj bench ...}: quick speed figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Quick speed figures of slimj's layers (see also the JMH benchmarks).",
    subcommands = {LayersCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a bench command is required (see --help)");
  }
}
