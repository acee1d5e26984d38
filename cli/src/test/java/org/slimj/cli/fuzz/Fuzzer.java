package org.slimj.cli.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A seeded mutation loop over one {@link FuzzTarget} for a bounded time: each round mutates a
 * seed input, writes it to a file and loads it on a worker thread with a time limit. Findings (an
 * undocumented exception, a message that does not name the file, a broken invariant, a load that
 * runs past the limit) are saved under {@code findingsDir} with the seed and round in their name,
 * so each replays exactly.
 */
final class Fuzzer {
  /** Longest a single load may take before it counts as a hang. */
  static final long LOAD_LIMIT_SECONDS = 20;

  /**
   * What one run found.
   *
   * @param target the target's name
   * @param rounds inputs tried
   * @param loaded inputs that loaded (and passed the checks)
   * @param rejected inputs cleanly rejected
   * @param findings one line per finding (seed, round, saved file, what happened)
   */
  record Report(String target, long rounds, long loaded, long rejected, List<String> findings) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%s: %d inputs, %d loaded, %d rejected cleanly, %d findings", target,
          rounds, loaded, rejected, findings.size());
    }
  }

  private Fuzzer() {}

  /** Fuzzes {@code t} with {@code seed} for {@code seconds} (at least one round), in {@code work}. */
  static Report run(FuzzTarget t, long seed, double seconds, Path work, Path findingsDir) throws Exception {
    SplittableRandom pick = new SplittableRandom(seed);
    Mutator mutator = new Mutator(seed ^ 0x5EEDL);
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long rounds = 0;
    long loaded = 0;
    long rejected = 0;
    List<String> findings = new ArrayList<>();
    ExecutorService worker = newWorker();
    try {
      do {
        byte[] input = t.mutation().apply(mutator, t.seeds().get(pick.nextInt(t.seeds().size())));
        Path dir = Files.createDirectories(work.resolve(t.name() + "-" + rounds));
        Path file = dir.resolve(t.fileName());
        Files.write(file, input);
        String problem;
        Future<?> f = worker.submit(() -> {
          t.loader().load(file, dir);
          return null;
        });
        try {
          f.get(LOAD_LIMIT_SECONDS, TimeUnit.SECONDS);
          loaded++;
          problem = null;
        } catch (TimeoutException e) {
          f.cancel(true);
          worker.shutdownNow();
          worker = newWorker();
          problem = "no answer within " + LOAD_LIMIT_SECONDS + " s";
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (t.isRejection(c) && c.getMessage() != null && c.getMessage().contains(dir.toString())) {
            rejected++;
            problem = null;
          } else {
            problem = t.isRejection(c) ? "the message does not name the file (" + dir + "): " + c.getMessage() : trace(c);
          }
        }
        if (problem != null) {
          Files.createDirectories(findingsDir);
          Path saved = findingsDir.resolve(t.name() + "-seed" + seed + "-round" + rounds + ".input");
          Files.write(saved, input);
          findings.add(t.name() + " seed " + seed + " round " + rounds + " (" + saved + "): " + problem);
        }
        deleteTree(dir);
        rounds++;
      } while (System.nanoTime() < deadline);
    } finally {
      worker.shutdownNow();
    }
    return new Report(t.name(), rounds, loaded, rejected, findings);
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread th = new Thread(r, "fuzz-load");
      th.setDaemon(true);
      return th;
    });
  }

  private static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    String[] lines = w.toString().split("\n");
    return String.join(" | ", java.util.Arrays.copyOf(lines, Math.min(lines.length, 6)));
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
