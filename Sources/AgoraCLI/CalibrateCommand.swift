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

      With --from-run DIR --segment NAME instead of a preset: fits a decoder surrogate of the language-model segment \
      NAME to the choices in DIR/transcripts.jsonl by maximum likelihood (one decision in five held out), and writes \
      OUT/<NAME>-surrogate.yaml (a preset file), OUT/<NAME>-surrogate-report.md and its pictures.
      """
  )

  @Argument(
    help: "A built-in preset (\(PopulationPreset.builtIn.map(\.name).joined(separator: ", "))) or a preset file.")
  var preset: String?

  @Option(help: "A run folder of policy: llm agents: fit a decoder surrogate to its transcript's decisions.")
  var fromRun: String?

  @Option(
    help: ArgumentHelp(
      "With --from-run: the language-model segment to fit (comma-separated names pool several segments' decisions "
        + "into one surrogate).", valueName: "name"))
  var segment: String?

  @Option(
    help: ArgumentHelp(
      "With --from-run: fit a mixture of this many types (1 to \(SurrogateFit.mostTypes)), each agent of one type, "
        + "beside the homogeneous fit; the preset file has a segment per type.", valueName: "k"))
  var types = 1

  @Option(
    help: ArgumentHelp(
      "With --from-run: the motives to fit (comma-separated: envy, guilt, reciprocity, altruism, conformity; the "
        + "rest stay 0); by default those the decisions identify.", valueName: "list"))
  var motives: String?

  func validate() throws {
    if fromRun == nil && preset == nil {
      throw ValidationError("give a preset to calibrate, or --from-run DIR --segment NAME")
    }
    if fromRun != nil && (preset != nil || check) {
      throw ValidationError("--from-run fits a surrogate; it takes no preset and no --check")
    }
    if (fromRun == nil) != (segment == nil) { throw ValidationError("--from-run and --segment go together") }
    if !(1...SurrogateFit.mostTypes).contains(types) {
      throw ValidationError("--types \(types): a mixture surrogate has 1 to \(SurrogateFit.mostTypes) types")
    }
    if fromRun == nil && types != 1 { throw ValidationError("--types goes with --from-run") }
  }

  @Option(help: "The targets CSV file.")
  var targets: String?

  @Option(
    help: ArgumentHelp(
      "The most objective evaluations per descent (each simulates every fitted target once); default 300, and 3000 "
        + "with --from-run (each scores every decision)."))
  var evaluations: Int?

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
    if let fromRun, let segment { return try surrogate(run: fromRun, segment: segment) }
    let base = try fail(exit: 2) { try PopulationPreset.load(preset ?? "") }
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
      (fitted, loss) = try calibration.fit(evaluations: evaluations ?? 300, starts: starts) { count, best in
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
      "Fitted by agora calibrate \(base.name) against \(path) (loss \(loss), \(evaluations ?? 300) evaluations at most)"
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

  /// Fits and writes the surrogate of `segment` from the run folder `run`.
  func surrogate(run: String, segment: String) throws {
    let decisionsOf = segment.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let decisions = try fail(exit: 2) {
      try SurrogateFit.decisions(transcript: "\(run)/transcripts.jsonl", segments: decisionsOf)
    }
    var chosen: [Preference]? = nil
    if let motives {
      chosen = try motives.split(separator: ",").map { name in
        let text = name.trimmingCharacters(in: .whitespaces)
        guard let motive = Preference(name: text), SurrogateFeatures.motives.dropFirst().contains(motive) else {
          Terminal.error("--motives: '\(text)' is not one of envy, guilt, reciprocity, altruism, conformity")
          throw ExitCode(2)
        }
        return motive
      }
    }
    let fit = try fail(exit: 2) {
      try SurrogateFit(decisions: decisions, motives: chosen, evaluations: evaluations ?? 3000, types: types)
    }
    // The segment's memory (the first pooled one's), from the run's manifest: the surrogate forms its beliefs as the
    // model's prompts did.
    var memory: String? = nil
    if let data = FileManager.default.contents(atPath: "\(run)/manifest.json"),
      let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let scenario = manifest["scenario"] as? [String: Any], let population = scenario["population"] as? [String: Any],
      let segments = population["segments"] as? [[String: Any]],
      let spec = segments.first(where: { decisionsOf.contains($0["name"] as? String ?? "") })?["memory"],
      let json = try? JSONSerialization.data(withJSONObject: spec, options: [.sortedKeys])
    {
      memory = String(decoding: json, as: UTF8.self)
    }
    let name = segment.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.map(String.init).joined()
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let figures = fit.figures()
    let comment =
      "A decoder surrogate of segment '\(segment)' of \(run), fitted by agora calibrate --from-run (maximum "
      + "likelihood, \(fit.decisions.count) decisions, one in five held out"
      + (fit.mixture.count > 1 ? "; a mixture of \(fit.mixture.count) types, a segment each" : "") + ").\n"
      + "Held-out log-likelihood \(Terminal.number(fit.mixtureHeldOut.logLikelihood)) a decision (uniform choice: "
      + "\(Terminal.number(fit.mixtureHeldOut.uniform))); "
      + "\(fit.trustworthy ? "usable" : "POOR: do not use it for the model").\n"
      + "Use: population: {preset: \(name)-surrogate.yaml, size: N}, or copy the segments beside the model's."
    try fail(exit: 1) {
      try writeAtomically(
        Data(fit.presetFile(name: "\(name)-surrogate", memory: memory, comment: comment).utf8),
        to: "\(out)/\(name)-surrogate.yaml")
      for (file, svg) in figures { try writeAtomically(Data(svg.utf8), to: "\(out)/\(file)") }
      try writeAtomically(
        Data(fit.report(segment: segment, run: run, figures: figures.map(\.name)).utf8),
        to: "\(out)/\(name)-surrogate-report.md")
    }
    let verdict = fit.trustworthy ? "a usable surrogate" : "a POOR surrogate"
    print(
      "fitted \(fit.fitted.decisions) decisions, held out \(fit.heldOut.decisions): log-likelihood a decision "
        + "\(Terminal.number(fit.fitted.logLikelihood)) fitted, \(Terminal.number(fit.heldOut.logLikelihood)) held "
        + "out, \(Terminal.number(fit.heldOut.uniform)) uniform"
        + (fit.mixture.count > 1 ? " (one type)" : ": \(verdict)")
    )
    if fit.mixture.count > 1 {
      print(
        "a mixture of \(fit.mixture.count) types (shares "
          + fit.mixture.map { Terminal.number($0.share) }.joined(separator: ", ") + "): log-likelihood a decision "
          + "\(Terminal.number(fit.mixtureFitted.logLikelihood)) fitted, "
          + "\(Terminal.number(fit.mixtureHeldOut.logLikelihood)) held out: \(verdict)")
      if !fit.mixtureWins {
        Terminal.note(
          "the mixture does not earn its parameters (its BIC is above one type's): consider --types 1")
      }
    }
    print("wrote \(out)/\(name)-surrogate.yaml and \(out)/\(name)-surrogate-report.md")
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
