package org.slimj.cli;

/** Whether output goes to a person at a terminal (progress bars) or to a log (one line per step). */
public final class Terminal {
  private Terminal() {}

  /** True when this JVM's console is an interactive terminal (not redirected to a file or pipe). */
  public static boolean interactive() {
    java.io.Console c = System.console();
    return c != null && c.isTerminal();
  }
}
