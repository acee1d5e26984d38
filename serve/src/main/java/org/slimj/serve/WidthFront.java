package org.slimj.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slimj.search.io.FoundConfig;
import org.slimj.search.io.SearchResultFile;

/**
 * The Pareto front of configurations a server switches between, ordered from the fastest
 * (narrowest) to the most accurate (widest): each point is strictly slower and strictly more
 * accurate than the one before it. Dominated configurations (slower without being more accurate)
 * are dropped when the front is built.
 */
public final class WidthFront {
  private final List<FrontPoint> points;

  private WidthFront(List<FrontPoint> points) {
    this.points = List.copyOf(points);
  }

  /**
   * The Pareto front of {@code candidates} (at least one): sorted by latency, keeping a point only
   * when it is more accurate than every faster one (ties in latency keep the more accurate).
   */
  public static WidthFront of(List<FrontPoint> candidates) {
    if (candidates == null || candidates.isEmpty()) {
      throw new IllegalArgumentException("width front: expected at least one configuration, found none");
    }
    List<FrontPoint> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingDouble(FrontPoint::latencyMs)
        .thenComparing(Comparator.comparingDouble(FrontPoint::accuracy).reversed()));
    List<FrontPoint> front = new ArrayList<>();
    for (FrontPoint p : sorted) {
      if (front.isEmpty() || p.accuracy() > front.getLast().accuracy()) {
        if (!front.isEmpty() && p.latencyMs() == front.getLast().latencyMs()) {
          continue;
        }
        front.add(p);
      }
    }
    return new WidthFront(front);
  }

  /**
   * The front of the search result {@code file}: each result's latency is its cost named {@code
   * latencyCost} (e.g. {@code latency:vector-1t}; null: the one cost whose name starts with {@code
   * latency:}), its accuracy the score (1 minus the score when the score name says it is an error).
   *
   * @throws IllegalArgumentException naming the file and result that lacks a latency or a score
   */
  public static WidthFront read(Path file, String latencyCost) throws IOException {
    return read(file, latencyCost, null);
  }

  /**
   * As {@link #read(Path, String)}, refusing a search result made for another model than the one
   * whose spec metadata is {@code expectedModel} (null accepts any).
   */
  public static WidthFront read(Path file, String latencyCost, Map<String, String> expectedModel) throws IOException {
    List<FoundConfig> results = SearchResultFile.read(file, expectedModel);
    List<FrontPoint> points = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      FoundConfig f = results.get(i);
      String cost = latencyCost != null ? latencyCost : latencyCostOf(file, f);
      Double ms = f.costs().get(cost);
      if (ms == null) {
        throw new IllegalArgumentException(file + ": results[" + i + "] (" + f.label() + ") has no cost '" + cost
            + "' (costs: " + f.costs().keySet() + ")");
      }
      if (Double.isNaN(f.score())) {
        throw new IllegalArgumentException(file + ": results[" + i + "] (" + f.label() + ") has no score (accuracy)");
      }
      double accuracy = f.scoreName().contains("error") ? 1 - f.score() : f.score();
      points.add(new FrontPoint(f.label(), f.config(), accuracy, ms));
    }
    return of(points);
  }

  private static String latencyCostOf(Path file, FoundConfig f) {
    List<String> names = f.costs().keySet().stream().filter(k -> k.startsWith("latency:")).toList();
    if (names.size() != 1) {
      throw new IllegalArgumentException(file + ": result " + f.label() + " has " + names.size()
          + " latency costs " + names + "; name the platform's (e.g. latency:vector-1t)");
    }
    return names.getFirst();
  }

  /** Number of points. */
  public int size() {
    return points.size();
  }

  /** Point {@code i}: 0 is the fastest, {@code size() - 1} the most accurate. */
  public FrontPoint get(int i) {
    return points.get(i);
  }

  /** The points, fastest first. */
  public List<FrontPoint> points() {
    return points;
  }

  /** The front of only point {@code i} (a fixed-width server). */
  public WidthFront only(int i) {
    return new WidthFront(List.of(points.get(i)));
  }

  /** The latencies from the table, ms per image, fastest first. */
  public double[] latenciesMs() {
    return points.stream().mapToDouble(FrontPoint::latencyMs).toArray();
  }
}
