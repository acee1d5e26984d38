package org.slimj.cli.infer;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slimj.datasets.ImageDataset;
import org.slimj.search.io.SearchResultFile;
import org.slimj.serve.BurstyTrace;
import org.slimj.serve.LoadGenerator;
import org.slimj.serve.LoadReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./slimj loadtest}: a bursty open-loop trace of test images against a {@code serve} on
 * this machine (loopback only), summarised as objective attainment, accuracy served and
 * throughput ({@link LoadReport}).
 */
@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    description = "Send a bursty open-loop trace of test images to ./slimj serve on 127.0.0.1 and report objective"
        + " attainment, accuracy served and throughput.")
public final class LoadTestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--url", required = true, paramLabel = "URL", description = "The server, http://127.0.0.1:PORT.")
  URI url;

  @Option(names = "--rate", required = true, paramLabel = "R", description = "Base arrivals per second.")
  double rate;

  @Option(names = "--spike-factor", paramLabel = "F", description = "Rate multiplier in spikes (default: ${DEFAULT-VALUE}).")
  double spikeFactor = 5;

  @Option(names = "--period", paramLabel = "S", description = "Seconds between spike starts (default: ${DEFAULT-VALUE}).")
  double period = 5;

  @Option(names = "--spike-seconds", paramLabel = "S", description = "Spike length (default: ${DEFAULT-VALUE}).")
  double spikeSeconds = 1;

  @Option(names = "--seconds", paramLabel = "S", description = "Trace length, at most 600 (default: ${DEFAULT-VALUE}).")
  double seconds = 30;

  @Option(names = "--slo-ms", paramLabel = "MS", description = "The objective attainment is measured against (default: ${DEFAULT-VALUE}).")
  double sloMs = 20;

  @Option(names = "--max-in-flight", paramLabel = "N", description = "Most requests outstanding (default: ${DEFAULT-VALUE}).")
  int maxInFlight = 2000;

  @Option(names = "--data", paramLabel = "DIR|sample", description = "Images sent: this data's test set (default: ${DEFAULT-VALUE}).")
  String data = "sample";

  @Option(names = "--seed", description = "Seed of the trace (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the report JSON to FILE.")
  Path out;

  @Override
  public Integer call() throws IOException, InterruptedException {
    LoadGenerator.requireLoopback(url);
    if (!(sloMs > 0) || maxInFlight < 1) {
      throw new IllegalArgumentException("expected --slo-ms > 0 and --max-in-flight >= 1");
    }
    BurstyTrace trace = new BurstyTrace(rate, spikeFactor, period, spikeSeconds, seconds, seed);
    long[] arrivals = trace.arrivals();
    ImageDataset test = SlimInputs.data(data).test();
    List<LoadGenerator.Sample> samples = new ArrayList<>();
    int size = test.channels() * test.height() * test.width();
    for (int i = 0; i < Math.min(test.count(), 1000); i++) {
      StringBuilder b = new StringBuilder("{\"pixels\": [");
      for (int j = 0; j < size; j++) {
        b.append(j == 0 ? "" : ",").append(test.pixel(i, j));
      }
      samples.add(new LoadGenerator.Sample(b.append("]}").toString(), test.label(i)));
    }
    List<LoadGenerator.Outcome> outcomes = LoadGenerator.run(url, arrivals, samples, maxInFlight,
        Duration.ofSeconds(30));
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("url", url.toString());
    settings.put("trace", trace);
    settings.put("slo_ms", sloMs);
    settings.put("data", test.name());
    doc.put("settings", settings);
    doc.putAll(LoadReport.summarize(outcomes, trace, sloMs));
    if (out != null) {
      SearchResultFile.write(out, doc);
    }
    PrintWriter o = spec.commandLine().getOut();
    o.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(doc));
    return 0;
  }
}
