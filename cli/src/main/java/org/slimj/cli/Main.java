package org.slimj.cli;

/** Placeholder entry point, replaced by the picocli front. */
public final class Main {
  private Main() {}

  /** Runs the command line. */
  public static void main(String[] args) {
    System.out.println("slimj");
  }
}
