package org.slimj.cli.infer;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slimj.cli.BackendOptions;
import org.slimj.engine.infer.ImagePreprocessor;
import org.slimj.engine.infer.Predictor;
import org.slimj.engine.infer.SlimPredictor;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.serve.BatchRunner;
import org.slimj.serve.FixedWidthPolicy;
import org.slimj.serve.FrontPoint;
import org.slimj.serve.InferenceServer;
import org.slimj.serve.ServiceTimes;
import org.slimj.serve.SlackFitPolicy;
import org.slimj.serve.WidthFront;
import org.slimj.serve.WidthPolicy;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./slimj serve}: an HTTP inference server on 127.0.0.1 whose width controller ({@link
 * SlackFitPolicy}) picks, per batch, the widest configuration of a search's Pareto front that
 * still meets the latency objective; or a fixed width ({@code --fixed}, an exported network).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve predictions over HTTP on 127.0.0.1 (POST /predict, GET /health, GET /metrics), switching"
        + " per batch to the widest configuration of a search front that meets --slo-ms.")
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BackendOptions backend;

  @ArgGroup(exclusive = true, multiplicity = "1")
  PredictCommand.Network network;

  @Option(names = "--front", paramLabel = "RESULT.json",
      description = "Search result whose configurations (with a latency cost and a validation score) the controller"
          + " switches between (checkpoint only).")
  Path front;

  @Option(names = "--front-cost", paramLabel = "NAME",
      description = "The front's latency cost, e.g. latency:vector-1t (default: the results' one latency cost).")
  String frontCost;

  @Option(names = "--width", paramLabel = "W", description = "Serve the uniform width W only (checkpoint without --front).")
  Double width;

  @Option(names = "--fixed", paramLabel = "LABEL|narrowest|widest",
      description = "Serve one configuration of the front only (the fixed-width baseline).")
  String fixed;

  @Option(names = "--slo-ms", paramLabel = "MS", description = "Latency objective per request (default: ${DEFAULT-VALUE}).")
  double sloMs = 20;

  @Option(names = "--reserve-ms", paramLabel = "MS",
      description = "Part of the objective kept for work outside the network (default: 10%% of --slo-ms).")
  Double reserveMs;

  @Option(names = "--max-batch", paramLabel = "N", description = "Largest batch (default: ${DEFAULT-VALUE}).")
  int maxBatch = 16;

  @Option(names = "--port", paramLabel = "P", description = "Port on 127.0.0.1, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port = 8080;

  @Option(names = "--port-file", paramLabel = "FILE", description = "Write the port listened on to FILE (with --port 0).")
  Path portFile;

  @Option(names = "--queue", paramLabel = "N",
      description = "Most requests waiting; more get 503 (default: ${DEFAULT-VALUE}).")
  int queue = 512;

  @Option(names = "--max-body-bytes", paramLabel = "B", description = "Largest request body (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes = 1 << 20;

  @Option(names = "--max-seconds", paramLabel = "S", description = "Stop after S seconds (default: run until stopped).")
  Double maxSeconds;

  @Option(names = "--max-requests", paramLabel = "N", description = "Stop after answering N requests.")
  Long maxRequests;

  @Option(names = "--data", paramLabel = "DIR|sample",
      description = "Data for universal-BN calibration (default: as the checkpoint was trained).")
  String data;

  @Option(names = "--calibrate-batches", paramLabel = "K",
      description = "Universal BN: training batches to calibrate each configuration on at start (default: 16).")
  Integer calibrateBatches;

  @Option(names = "--warmup-rounds", paramLabel = "N",
      description = "Batches per configuration and batch size run at start to measure service times (default: ${DEFAULT-VALUE}).")
  int warmupRounds = 20;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!(sloMs > 0) || maxBatch < 1 || queue < 1 || warmupRounds < 0 || (maxSeconds != null && !(maxSeconds > 0))
        || (maxRequests != null && maxRequests < 1)) {
      throw new IllegalArgumentException("expected --slo-ms > 0, --max-batch >= 1, --queue >= 1, --warmup-rounds >= 0,"
          + " --max-seconds > 0, --max-requests >= 1");
    }
    double reserve = reserveMs != null ? reserveMs : sloMs / 10;
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Kernels kernels = backend.choose().kernels();
    Predictor p;
    WidthFront wf;
    BatchRunner runner;
    ImagePreprocessor pre;
    if (network.model != null) {
      if (front != null || width != null || fixed != null) {
        throw new IllegalArgumentException("--front, --width and --fixed apply to --checkpoint; an exported network"
            + " runs at the configuration it was exported at");
      }
      p = Predictor.exported(network.model, kernels);
      pre = ImagePreprocessor.of(p);
      runner = BatchRunner.fixed(p, pre);
      wf = WidthFront.of(List.of(new FrontPoint("exported", p.defaultConfig(), Double.NaN,
          measureMs(runner, pre, 5))));
    } else {
      Checkpoint.Loaded l = Checkpoint.load(network.checkpoint);
      SlimPredictor s = SlimInputs.predictor(l, network.checkpoint, kernels, data, calibrateBatches, 128);
      p = s;
      pre = ImagePreprocessor.of(p);
      if ((front == null) == (width == null)) {
        throw new IllegalArgumentException("--checkpoint needs either --front RESULT.json or --width W");
      }
      if (front != null) {
        wf = WidthFront.read(front, frontCost, l.spec().toMetadata());
      } else {
        ChannelConfig c = s.configAt(width);
        wf = WidthFront.of(List.of(new FrontPoint("width " + width, c, Double.NaN, 1.0)));
      }
      if (fixed != null) {
        wf = wf.only(pointOf(wf, fixed));
      }
      for (FrontPoint fp : wf.points()) {
        try {
          s.prepare(fp.config());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException((front != null ? front + ": " : "") + "configuration " + fp.label()
              + " does not fit " + network.checkpoint + ": " + e.getMessage(), e);
        }
      }
      runner = BatchRunner.of(p, wf, pre);
    }
    ServiceTimes times = new ServiceTimes(wf, 0.1);
    warmUp(runner, pre, wf, times, err);
    WidthPolicy policy = wf.size() > 1
        ? new SlackFitPolicy(times, (long) (sloMs * 1e6), (long) (reserve * 1e6), maxBatch, 4)
        : new FixedWidthPolicy(0, maxBatch);
    InferenceServer server = new InferenceServer(wf, runner, pre, p.classes(), policy, times,
        new InferenceServer.Settings(port, maxBodyBytes, queue, (long) Math.max(30_000, 20 * sloMs)));
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        closed.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "slimj-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (portFile != null) {
        writePort(portFile, server.port());
      }
      o.printf(Locale.ROOT, "slimj serve: listening on http://127.0.0.1:%d (%s; %d configuration(s): %s; objective %.3g ms)%n",
          server.port(), policy.getClass().getSimpleName(), wf.size(),
          String.join(", ", wf.points().stream().map(FrontPoint::label).toList()), sloMs);
      o.flush();
      long end = maxSeconds == null ? Long.MAX_VALUE : System.nanoTime() + (long) (maxSeconds * 1e9);
      while (!stop.await(50, TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() >= end || (maxRequests != null && server.metrics().answeredCount() >= maxRequests)) {
          break;
        }
      }
    } finally {
      server.close();
      // the final metrics, printed before the shutdown hook (SIGTERM) lets the JVM exit
      o.println(new GsonBuilder().disableHtmlEscaping().serializeNulls().create()
          .toJson(server.metrics().snapshot(0)));
      o.flush();
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down (the hook itself is running): nothing to remove
      }
    }
    return 0;
  }

  private static int pointOf(WidthFront wf, String which) {
    if (which.equals("narrowest")) {
      return 0;
    }
    if (which.equals("widest")) {
      return wf.size() - 1;
    }
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < wf.size(); i++) {
      labels.add(wf.get(i).label());
      if (wf.get(i).label().equals(which)) {
        return i;
      }
    }
    throw new IllegalArgumentException("--fixed: no configuration '" + which + "' on the front (narrowest, widest or one"
        + " of " + labels + ")");
  }

  /**
   * Runs every point at batch 1 and at the largest batch {@code warmupRounds} times, feeding the
   * times of the second half to the service-time estimates.
   */
  private void warmUp(BatchRunner runner, ImagePreprocessor pre, WidthFront wf, ServiceTimes times, PrintWriter err) {
    for (int i = 0; i < wf.size(); i++) {
      for (int b : new int[] {1, maxBatch}) {
        float[][] images = zeros(pre, b);
        for (int r = 0; r < warmupRounds; r++) {
          long t0 = System.nanoTime();
          runner.run(images, i);
          if (2 * r >= warmupRounds) { // the first half warms the JIT up; only the second half is measured
            times.observe(i, b, System.nanoTime() - t0);
          }
        }
      }
      err.printf(Locale.ROOT, "serve: %s: table %.3f ms/image; predicted batch 1 %.3f ms, batch %d %.3f ms%n",
          wf.get(i).label(), wf.get(i).latencyMs(), times.predictNanos(i, 1) / 1e6, maxBatch,
          times.predictNanos(i, maxBatch) / 1e6);
    }
    err.flush();
  }

  private double measureMs(BatchRunner runner, ImagePreprocessor pre, int rounds) {
    float[][] one = zeros(pre, 1);
    long t0 = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      runner.run(one, 0);
    }
    return Math.max(1e-6, (System.nanoTime() - t0) / 1e6 / rounds);
  }

  private static float[][] zeros(ImagePreprocessor pre, int n) {
    float[][] images = new float[n][];
    for (int k = 0; k < n; k++) {
      images[k] = pre.fromPixels(new byte[pre.imageSize()]);
    }
    return images;
  }

  private static void writePort(Path file, int port) throws IOException {
    try {
      org.slimj.engine.io.AtomicFiles.writeString(file, port + "\n");
    } catch (IOException e) {
      throw new IOException("cannot write the port file " + file + ": " + e.getMessage(), e);
    }
  }
}
