import AgoraCore
import AgoraOutput
import Foundation

extension SurrogateFit {
  /// The surrogate as a preset file (`population: {preset: FILE, size: N}`): one segment, `name`, with the fitted
  /// motives as constants, the fitted decoding (no top-p), and `memory` (the language-model segment's, as YAML flow).
  public func presetFile(name: String, memory: String?, comment: String) -> String {
    var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)" }
    let motives = self.motives.map { "\($0.name): \(Self.number(estimate.motives[$0] ?? 0))" }
    lines += [
      "segments:", "  - name: \(name)", "    share: 1",
      "    preferences: {\(motives.joined(separator: ", "))}",
      "    decoding: {temperature: \(Self.number(estimate.temperature)), salience_bias: "
        + "\(Self.number(estimate.salienceBias)), position_bias: \(Self.number(estimate.positionBias)), "
        + "mode_collapse: \(Self.number(estimate.modeCollapse))}",
    ]
    if let memory { lines.append("    memory: \(memory)") }
    return lines.joined(separator: "\n") + "\n"
  }

  static func number(_ x: Double) -> String { String(format: "%.6g", x) }

  /// The fit as Markdown: the estimates, the log-likelihood per decision (fitted, held out, uniform choice), and
  /// what to make of them.
  public func report(segment: String, run: String, figures: [String]) -> String {
    var lines = [
      "# Surrogate of segment `\(segment)`", "",
      "Fitted by maximum likelihood to the choices in `\(run)/transcripts.jsonl`: \(decisions.count) decisions of the "
        + "language model (its decoder fallbacks left out), one in five held out of the fit.", "",
      "| parameter | estimate |", "|---|---|",
      "| temperature | \(Self.number(estimate.temperature)) |",
    ]
    lines += motives.map { "| \($0.name) | \(Self.number(estimate.motives[$0] ?? 0)) |" }
    lines += [
      "| salience_bias | \(Self.number(estimate.salienceBias)) |",
      "| position_bias | \(Self.number(estimate.positionBias)) |",
      "| mode_collapse | \(Self.number(estimate.modeCollapse)) |", "",
      "Self weight 1; the other motives are 0, not fitted (the decisions cannot tell them apart from those fitted, "
        + "or --motives left them out: "
        + "\(unidentified.isEmpty ? "none" : unidentified.map(\.name).joined(separator: ", "))).", "",
      "| decisions | count | log-likelihood per decision | uniform choice | gain per decision |",
      "|---|---|---|---|---|",
      row("fitted", fitted), row("held out", heldOut), "", verdict, "",
    ]
    lines += figures.map { "![\($0)](\($0))" }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The motives the decisions cannot identify.
  var unidentified: [Preference] {
    SurrogateFeatures.motives.filter { $0 != .selfWeight && !motives.contains($0) }
  }

  func row(_ name: String, _ s: Score) -> String {
    "| \(name) | \(s.decisions) | \(Self.number(s.logLikelihood)) | \(Self.number(s.uniform)) | "
      + "\(Self.number(s.logLikelihood - s.uniform)) |"
  }

  /// Whether the surrogate can stand in for the model, in a sentence: it must predict held-out choices clearly
  /// better than a uniform choice and about as well as the ones it was fitted to.
  public var trustworthy: Bool {
    let gain = heldOut.logLikelihood - heldOut.uniform
    return gain > 0.1 && heldOut.logLikelihood > fitted.logLikelihood - 0.25
  }

  var verdict: String {
    trustworthy
      ? "**A usable surrogate:** it predicts the held-out choices clearly better than a uniform choice "
        + "(\(Self.number(heldOut.logLikelihood - heldOut.uniform)) nats a decision) and about as well as those it "
        + "was fitted to. Check the pictures: the surrogate's choices against the model's, by kind of decision."
      : "**A poor surrogate:** it predicts the held-out choices little better than a uniform choice, or much worse "
        + "than those it was fitted to. The model's choices do not follow the decoder's utilities here; do not let "
        + "it stand in for the model."
  }

  /// For each kind of decision whose decisions all have the same number of options: the model's choice frequencies
  /// and the surrogate's mean probabilities, option by option (SVG).
  public func figures() -> [(name: String, svg: String)] {
    let kinds = decisions.map(\.kind).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    return kinds.compactMap { kind in
      let here = decisions.filter { $0.kind == kind }
      guard let n = here.first?.features.count, here.allSatisfy({ $0.features.count == n }) else { return nil }
      var observed = [Double](repeating: 0, count: n)
      var predicted = [Double](repeating: 0, count: n)
      for d in here {
        observed[d.choice] += 1 / Double(here.count)
        for (k, p) in Self.probabilities(d, estimate).enumerated() { predicted[k] += p / Double(here.count) }
      }
      var chart = Chart(
        title: "\(kind): the model's choices and the surrogate's (\(here.count) decisions)",
        xLabel: "option (prompt order, 1 = first)", yLabel: "share of decisions",
        series: [
          Chart.Series(
            name: "language model", points: observed.enumerated().map { .init(x: Double($0 + 1), y: $1) },
            style: .bars(width: 0.6)),
          Chart.Series(
            name: "surrogate",
            points: predicted.enumerated().map { .init(x: Double($0 + 1), y: $1) }, style: .markers),
        ])
      chart.includeZero = true
      return ("surrogate-\(kind.replacingOccurrences(of: ".", with: "-")).svg", chart.svg())
    }
  }
}
