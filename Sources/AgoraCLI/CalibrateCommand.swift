import Agora
import ArgumentParser
import Foundation

/// `agora calibrate`: fits a population preset to its published targets, or checks it against them.
struct CalibrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "calibrate",
    abstract: "Fit a population preset to published targets (simulated method of moments, Nelder-Mead).",
    discussion: """
      Targets are rows of a CSV file (game, statistic, condition, target, tolerance, source; a preset column selects \
      rows): by default Validation/human_targets.csv for human and llm_targets.csv for the llm_* presets. \
      Writes OUT/<preset>.yaml (a preset file: population: {preset: OUT/<preset>.yaml, size: N}) and \
      OUT/<preset>-report.md. With --check, only simulates the preset as it is and prints the table.
      """
  )

  @Argument(
    help: "A built-in preset (\(PopulationPreset.builtIn.map(\.name).joined(separator: ", "))) or a preset file.")
  var preset: String

  @Option(help: "The targets CSV file.")
  var targets: String?

  @Option(help: "The most objective evaluations per descent (each simulates every fitted target once).")
  var evaluations = 300

  @Option(
    help:
      "Nelder-Mead descents: from the preset's values, from starts - 1 random points of the box, then from the best.")
  var starts = 1

  @Option(help: "The output folder.")
  var out = "Results/calibration"

  @Flag(help: "Only compare the preset as it is with its targets.")
  var check = false

  @Option(
    help:
      "Fit the mean loss over this many seeds (--seed, --seed + 1, ...), so that no target sits at a tolerance's edge.")
  var fitSeeds = 1

  @Option(help: "Also write the validation figures (SVG: per game, simulated against published) into this folder.")
  var figures: String?

  @Option(help: "The seed of every simulation (common random numbers).")
  var seed: UInt64 = 1

  func run() throws {
    let base = try fail(exit: 2) { try PopulationPreset.load(preset) }
    let path = targets ?? "Validation/\(base.targets.file)"
    var calibration = try fail(exit: 2) {
      try Calibration(preset: base, targets: try ValidationTarget.load(path))
    }
    calibration.seed = seed
    calibration.fitSeeds = fitSeeds
    guard !calibration.targets.isEmpty else {
      Terminal.error("\(path) has no rows for preset \(base.name)")
      throw ExitCode(2)
    }
    var fitted = base
    var loss = calibration.loss(try calibration.evaluate(fittedOnly: true))
    if !check {
      Terminal.note(
        "calibrating \(base.name) on \(calibration.fitted.count) targets of \(path) "
          + "(\(calibration.targets.count - calibration.fitted.count) held out); start loss \(Terminal.number(loss))")
      (fitted, loss) = try calibration.fit(evaluations: evaluations, starts: starts) { count, best in
        if count % 25 == 0 { Terminal.note("  evaluation \(count): best loss \(Terminal.number(best))") }
      }
    }
    var final = try Calibration(preset: fitted, targets: calibration.targets)
    final.seed = seed
    let rows = try final.evaluate()
    for (title, part) in [("fitted", rows.filter { !$0.heldOut }), ("held out (not fitted)", rows.filter(\.heldOut))]
    where !part.isEmpty {
      print("\(title):")
      print(Self.table(part))
      print(
        "loss \(Terminal.number(final.loss(part))); \(part.filter(\.passes).count) of \(part.count) targets within "
          + "tolerance\n")
    }
    print("\(rows.filter(\.passes).count) of \(rows.count) targets within tolerance")
    if let figures {
      try FileManager.default.createDirectory(atPath: figures, withIntermediateDirectories: true)
      for (name, svg) in try ValidationFigures.figures(rows, preset: fitted, seed: seed) {
        try fail(exit: 1) { try writeAtomically(Data(svg.utf8), to: "\(figures)/\(name)") }
        print("wrote \(figures)/\(name)")
      }
    }
    guard !check else { return }
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let comment =
      "Fitted by agora calibrate \(base.name) against \(path) (loss \(loss), \(evaluations) evaluations at most)"
    try fail(exit: 1) {
      try writeAtomically(Data(fitted.fileText(comment: comment).utf8), to: "\(out)/\(base.name).yaml")
      var report =
        "# Calibration of `\(base.name)`\n\n\(comment).\n\n## Fitted\n\n" + Self.markdown(rows.filter { !$0.heldOut })
        + "\n## Held out\n\n" + Self.markdown(rows.filter(\.heldOut))
        + "\n\n| parameter | value | box |\n|---|---|---|\n"
      for p in fitted.parameters {
        report += "| \(p.name) | \(Terminal.number(p.value)) | [\(p.lower), \(p.upper)] |\n"
      }
      try writeAtomically(Data(report.utf8), to: "\(out)/\(base.name)-report.md")
    }
    print("wrote \(out)/\(base.name).yaml and \(out)/\(base.name)-report.md")
  }

  static func table(_ rows: [Calibration.Row]) -> String {
    Terminal.table(
      ["game", "statistic", "target", "simulated", "tolerance", "ok"],
      rows.map { r in
        [
          r.target.game, r.target.statistic, Terminal.number(r.target.target), Terminal.number(r.simulated),
          Terminal.number(r.target.tolerance), r.passes ? "yes" : "NO",
        ]
      })
  }

  /// The validation table in Markdown, as docs/validation.md shows it.
  static func markdown(_ rows: [Calibration.Row]) -> String {
    var text =
      "| game | statistic | target | simulated | tolerance | within | source |\n|---|---|---|---|---|---|---|\n"
    for r in rows {
      text +=
        "| \(r.target.game) | \(r.target.statistic) | \(Terminal.number(r.target.target)) | "
        + "\(String(format: "%.3f", r.simulated)) | \(Terminal.number(r.target.tolerance)) | "
        + "\(r.passes ? "yes" : "**no**") | \(r.target.source) |\n"
    }
    return text
  }
}
