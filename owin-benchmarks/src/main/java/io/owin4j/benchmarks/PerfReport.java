package io.owin4j.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the figures {@code perf-report.sh} collected into a table (printed, and written as {@code
 * report.md}) and a chart ({@code chart.svg}): per scenario, OWIN beside its baseline, the ratio and
 * whether it meets the target.
 *
 * <p>Usage: {@code PerfReport DIR}, where DIR holds {@code results.tsv} (scenario, unit, owin,
 * baseline, ratio, target) and {@code machine.txt} (one {@code key value} line each).
 */
public final class PerfReport {
  private static final int WIDTH = 1020;
  private static final int ROW = 46;
  private static final int TOP = 74;
  private static final int LABEL = 250;
  private static final int BARS = 400;

  private PerfReport() {}

  /** One scenario's figures. */
  record Result(
      String scenario, String unit, double owin, double baseline, double ratio, String target) {
    /** The figure the target speaks of: the owin value, a difference, or the ratio. */
    double judged() {
      return target.contains("KiB") ? owin : ratio;
    }

    /** False for a figure shown for information, with no target. */
    boolean hasTarget() {
      return !target.equals("-");
    }

    boolean met() {
      if (!hasTarget()) {
        return true;
      }
      double bound = Double.parseDouble(target.replaceAll("[^0-9.]", ""));
      return target.startsWith(">=") ? judged() >= bound : judged() <= bound;
    }

    String verdict() {
      if (!hasTarget()) {
        return "ratio " + format(ratio) + " (reference, no target)";
      }
      String what = target.contains("KiB") ? "owin" : target.contains("above") ? "delta" : "ratio";
      String bound = target.replace(">=", "\u2265 ").replace("<=", "\u2264 ");
      return what + " " + format(judged()) + " " + (met() ? "meets" : "misses") + " " + bound;
    }
  }

  /** Reads DIR/results.tsv and DIR/machine.txt, writes report.md and chart.svg, prints the table. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: PerfReport DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    List<Result> results = read(dir.resolve("results.tsv"));
    Map<String, String> machine = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir.resolve("machine.txt"), StandardCharsets.UTF_8)) {
      int space = line.indexOf(' ');
      if (space > 0) {
        machine.put(line.substring(0, space), line.substring(space + 1));
      }
    }
    String table = table(results);
    System.out.print(table);
    Files.writeString(dir.resolve("report.md"), table, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("chart.svg"), chart(results, machine), StandardCharsets.UTF_8);
  }

  static List<Result> read(Path tsv) throws IOException {
    List<Result> results = new ArrayList<>();
    List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      if (f.length != 6) {
        throw new IllegalArgumentException(
            "results.tsv line must have 6 tab-separated fields, got " + f.length + ": " + line);
      }
      results.add(
          new Result(
              f[0],
              f[1],
              number(f[2]),
              number(f[3]),
              number(f[4]),
              f[5]));
    }
    return results;
  }

  /** A figure of results.tsv; a run that measured nothing ("nan", "") is NaN. */
  private static double number(String field) {
    try {
      return Double.parseDouble(field);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  static String table(List<Result> results) {
    StringBuilder md = new StringBuilder();
    md.append("| scenario | Owin4J | baseline | unit | ratio / delta | target | met |\n");
    md.append("|---|---:|---:|---|---:|---|---|\n");
    for (Result r : results) {
      md.append("| ")
          .append(r.scenario())
          .append(" | ")
          .append(format(r.owin()))
          .append(" | ")
          .append(format(r.baseline()))
          .append(" | ")
          .append(r.unit())
          .append(" | ")
          .append(format(r.ratio()))
          .append(" | ")
          .append(r.target())
          .append(" | ")
          .append(!r.hasTarget() ? "-" : r.met() ? "yes" : "**no**")
          .append(" |\n");
    }
    return md.toString();
  }

  static String chart(List<Result> all, Map<String, String> machine) {
    // The CPU rows stay in the table; the chart shows what the scenarios measure.
    List<Result> results =
        all.stream().filter(r -> r.hasTarget() || !r.unit().equals("us/op")).toList();
    int height = TOP + results.size() * ROW + 40;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">%n",
            WIDTH,
            height,
            WIDTH,
            height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(
        svg,
        16,
        24,
        "Owin4J beside plain Undertow, one run",
        "font-size=\"17\" font-weight=\"bold\"");
    text(
        svg,
        16,
        44,
        machine.getOrDefault("date", "")
            + " · "
            + machine.getOrDefault("cpus", "?")
            + " cores · load "
            + machine.getOrDefault("load_before", "?")
            + " · "
            + machine.getOrDefault("java", ""),
        "fill=\"#555\"");
    legend(svg, WIDTH - 300, 24, "#2b6cb0", "Owin4J");
    legend(svg, WIDTH - 200, 24, "#a0aec0", "baseline (plain Undertow)");
    int y = TOP;
    for (Result r : results) {
      double max = Math.max(Math.max(r.owin(), r.baseline()), 1e-9);
      text(svg, 16, y + 14, r.scenario(), "");
      String unit = r.unit() + (r.target().startsWith("<=") ? ", lower is better" : "");
      text(svg, 16, y + 31, unit, "fill=\"#777\" font-size=\"11\"");
      bar(svg, y + 2, r.owin() / max, "#2b6cb0", format(r.owin()));
      bar(svg, y + 20, r.baseline() / max, "#a0aec0", format(r.baseline()));
      text(
          svg,
          LABEL + BARS + 80,
          y + 23,
          r.verdict(),
          "fill=\""
              + (!r.hasTarget() ? "#555" : r.met() ? "#276749" : "#c53030")
              + "\" font-weight=\"bold\"");
      y += ROW;
    }
    text(
        svg,
        16,
        y + 20,
        "Command: owin-benchmarks/perf-report.sh "
            + machine.getOrDefault("seconds", "")
            + " "
            + machine.getOrDefault("rounds", "")
            + " (medians of the rounds; see docs/PERFORMANCE.md)",
        "fill=\"#555\" font-size=\"11\"");
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void bar(StringBuilder svg, int y, double fraction, String color, String label) {
    int width = (int) Math.round(Math.max(1, fraction * BARS));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"%s\"/>%n",
            LABEL,
            y,
            width,
            color));
    text(svg, LABEL + width + 6, y + 13, label, "font-size=\"12\"");
  }

  private static void legend(StringBuilder svg, int x, int y, String color, String label) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
            x,
            y - 11,
            color));
    text(svg, x + 16, y, label, "font-size=\"12\"");
  }

  private static void text(StringBuilder svg, int x, int y, String text, String attributes) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" %s>%s</text>%n",
            x,
            y,
            attributes,
            text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")));
  }

  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) >= 10) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    return Math.abs(value) >= 100
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.3g", value);
  }
}
