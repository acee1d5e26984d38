package org.slimj.cli.search;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./slimj search ...}: the channel searches, each writing the common search-result JSON. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Search per-layer channel counts of a trained slimmable network under cost budgets.",
    subcommands = {GreedyCommand.class, OwsSearchCommand.class, MultiPlatformSearchCommand.class,
        JoslimFrontCommand.class, CommandLine.HelpCommand.class})
public final class SearchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a search method is required (see --help)");
  }
}
