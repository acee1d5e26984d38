package org.slimj.cli.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slimj.bench.JmhLayers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./slimj bench jmh-layers FILE}: JMH's JSON results of LayerBench as the JSON of {@code bench layers}. */
@Command(
    name = "jmh-layers",
    mixinStandardHelpOptions = true,
    description = "Print JMH JSON results (-rf json) of LayerBench in the JSON format of 'bench layers --json'.")
public final class JmhLayersCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "JMH results file written with -rf json -rff FILE.")
  Path file;

  @Override
  public Integer call() throws IOException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + file, e);
    }
    spec.commandLine().getOut().println(new GsonBuilder().disableHtmlEscaping().create().toJson(JmhLayers.convert(text)));
    return 0;
  }
}
