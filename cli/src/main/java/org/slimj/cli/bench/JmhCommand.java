package org.slimj.cli.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.slimj.bench.JvmFlags;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./slimj bench jmh [JMH arguments]}: runs the JMH benchmarks of the bench module with
 * JMH's own command line ({@code -h} lists it; e.g. {@code LayerBench -p threads=1,2 -rf json -rff
 * out.json}, {@code -prof gc}). Every forked JVM gets the production flags of {@link JvmFlags}
 * appended to any {@code -jvmArgsAppend} given.
 */
@Command(
    name = "jmh",
    description = {
      "Run the JMH benchmarks (org.slimj.bench.*) with JMH's arguments, e.g. LayerBench -f 1 -rf json -rff out.json.",
      "Forked JVMs get " + "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
          + " --sun-misc-unsafe-memory-access=allow. JMH's own help: ./slimj bench jmh -h"
    })
public final class JmhCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws IOException, RunnerException {
    if (args.contains("--help")) {
      spec.commandLine().usage(spec.commandLine().getOut());
      args = List.of("-h");
    }
    CommandLineOptions options;
    try {
      options = new CommandLineOptions(withForkFlags(args).toArray(new String[0]));
    } catch (CommandLineOptionException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "JMH: " + e.getMessage(), e);
    }
    if (options.shouldHelp()) {
      options.showHelp();
      return 0;
    }
    Runner runner = new Runner(options);
    if (options.shouldList()) {
      runner.list();
    } else if (options.shouldListWithParams()) {
      runner.listWithParams(options);
    } else if (options.shouldListProfilers()) {
      options.listProfilers();
    } else if (options.shouldListResultFormats()) {
      options.listResultFormats();
    } else {
      try {
        runner.run();
      } catch (NoBenchmarksException e) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "no JMH benchmark matches " + options.getIncludes() + " (list them: ./slimj bench jmh -l)", e);
      }
    }
    return 0;
  }

  /** {@code args} with the production flags appended to {@code -jvmArgsAppend} (added if absent). */
  static List<String> withForkFlags(List<String> args) {
    String flags = String.join(" ", JvmFlags.FORK_FLAGS);
    List<String> out = new ArrayList<>(args);
    int i = out.indexOf("-jvmArgsAppend");
    if (i >= 0 && i + 1 < out.size()) {
      out.set(i + 1, out.get(i + 1) + " " + flags);
    } else if (i < 0) {
      out.add("-jvmArgsAppend");
      out.add(flags);
    }
    return out;
  }
}
