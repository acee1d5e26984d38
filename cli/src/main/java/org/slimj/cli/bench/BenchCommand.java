package org.slimj.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./slimj bench ...}: quick speed figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Speed figures: quick in-process commands (layers, train, infer), the all-reduce among workers (allreduce) and the JMH benchmarks (jmh).",
    subcommands = {LayersCommand.class, TrainBenchCommand.class, InferBenchCommand.class, ExportedBenchCommand.class, JmhCommand.class, JmhLayersCommand.class,
        AllReduceBenchCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a bench command is required (see --help)");
  }
}
