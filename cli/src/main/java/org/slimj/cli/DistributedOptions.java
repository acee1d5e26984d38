package org.slimj.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slimj.distributed.ClusterSpec;
import org.slimj.distributed.CollectiveTimeouts;
import org.slimj.distributed.HazelcastCollective;
import org.slimj.engine.dist.Collective;
import org.slimj.engine.train.BatchSource;
import org.slimj.engine.train.TrainingMode;
import org.slimj.engine.train.TrainingRun;
import picocli.CommandLine.Option;

/**
 * {@code train --workers host:port,... --rank R}: synchronous data-parallel training over Hazelcast
 * members embedded in each worker process. Every worker runs the same command (same options, same
 * data) with its own rank; {@code --batch} stays the global batch, each worker trains on its
 * contiguous shard of it; only rank 0 validates and writes checkpoints and metrics.
 */
public final class DistributedOptions {
  /** Modes whose configurations depend on each worker's own losses, so the replicas would drift apart. */
  private static final Set<TrainingMode> ADAPTIVE =
      EnumSet.of(TrainingMode.OWS, TrainingMode.AOWS, TrainingMode.MULTIPLATFORM, TrainingMode.JOSLIM);

  /** Held so that the level set on it stays (java.util.logging keeps loggers weakly). */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  @Option(names = "--workers", paramLabel = "HOST:PORT,...", description = "Data-parallel training: every worker's"
      + " address, one host:port per rank in rank order (no port ranges); the same list on every worker.")
  String workers;

  @Option(names = "--rank", paramLabel = "R", description = "This worker's rank in --workers (0 = the one that"
      + " writes checkpoints and metrics).")
  Integer rank;

  @Option(names = "--cluster-name", paramLabel = "NAME", description = "Name shared by this job's workers, keeping"
      + " other jobs' members out (default: ${DEFAULT-VALUE}).")
  String clusterName = ClusterSpec.DEFAULT_CLUSTER_NAME;

  @Option(names = "--join-timeout", paramLabel = "SECONDS", description = "Longest wait for all workers to join"
      + " (default: ${DEFAULT-VALUE}).")
  long joinSeconds = CollectiveTimeouts.DEFAULTS.join().toSeconds();

  @Option(names = "--heartbeat-timeout", paramLabel = "SECONDS", description = "A worker silent this long is taken"
      + " as dead and the job fails (default: ${DEFAULT-VALUE}).")
  long heartbeatSeconds = CollectiveTimeouts.DEFAULTS.heartbeat().toSeconds();

  @Option(names = "--step-timeout", paramLabel = "SECONDS", description = "Longest wait for a live worker inside one"
      + " step, e.g. while rank 0 validates (default: ${DEFAULT-VALUE}).")
  long stepSeconds = CollectiveTimeouts.DEFAULTS.operation().toSeconds();

  /**
   * Runs {@code run} on {@code data} for epochs {@code [fromEpoch, toEpoch)}: as it is without
   * {@code --workers}; else data-parallel over the workers, with {@code listener} on rank 0 only.
   * Returns the next global step.
   */
  public long run(TrainingRun run, TrainingMode mode, int batch, BatchSource data, int fromEpoch, int toEpoch,
      long fromStep, TrainingRun.Listener listener, PrintWriter out) {
    if (!enabled()) {
      return run.run(data, fromEpoch, toEpoch, fromStep, listener);
    }
    if (rank == null) {
      throw new IllegalArgumentException("--workers needs --rank R (this worker's index in the list, from 0)");
    }
    if (ADAPTIVE.contains(mode)) {
      throw new IllegalArgumentException("--workers: mode " + mode.cliName() + " adapts its sampling to each worker's"
          + " own losses, so the workers would drift apart; data-parallel training supports sbn, us, nonuniform,"
          + " naive and single");
    }
    ClusterSpec spec = spec();
    if (batch < spec.size()) {
      throw new IllegalArgumentException("--workers: expected --batch (the global batch) >= the " + spec.size()
          + " workers, found " + batch);
    }
    out.printf(Locale.ROOT, "data-parallel: rank %d of %d at %s, global batch %d (about %d per worker)%n",
        spec.rank(), spec.size(), spec.address(spec.rank()), batch, batch / spec.size());
    try (Collective c = join(out)) {
      long next = run.dataParallel(c).run(data, fromEpoch, toEpoch, fromStep,
          spec.rank() == 0 ? listener : new TrainingRun.Listener() {});
      c.barrier();
      return next;
    }
  }

  /** Whether this process writes the run's files: always without {@code --workers}, else rank 0 only. */
  public boolean writes() {
    return !enabled() || Integer.valueOf(0).equals(rank);
  }

  /** Whether {@code --workers} was given (then {@code --rank} is required too). */
  public boolean enabled() {
    if (workers == null && rank != null) {
      throw new IllegalArgumentException("--rank " + rank + " needs --workers (the list of all workers' host:port)");
    }
    return workers != null;
  }

  /** The member list and rank given by {@code --workers} and {@code --rank} (both required here). */
  public ClusterSpec spec() {
    if (workers == null || rank == null) {
      throw new IllegalArgumentException("expected --workers host:port,... and --rank R, found "
          + (workers == null ? "no --workers" : "--workers " + workers) + " and "
          + (rank == null ? "no --rank" : "--rank " + rank));
    }
    return ClusterSpec.parse(workers, rank, clusterName);
  }

  /** Joins the workers of {@link #spec()} (blocks until all have joined), saying so on {@code out}. */
  public Collective join(PrintWriter out) {
    ClusterSpec spec = spec();
    CollectiveTimeouts timeouts = new CollectiveTimeouts(Duration.ofSeconds(joinSeconds),
        Duration.ofSeconds(stepSeconds), Duration.ofSeconds(heartbeatSeconds));
    HAZELCAST_LOG.setLevel(Level.WARNING);
    out.println("rank " + spec.rank() + ": waiting for the other " + (spec.size() - 1) + " worker(s) to join ...");
    out.flush();
    Collective c = HazelcastCollective.join(spec, timeouts);
    out.println("rank " + spec.rank() + ": all " + spec.size() + " workers joined");
    out.flush();
    return c;
  }
}
