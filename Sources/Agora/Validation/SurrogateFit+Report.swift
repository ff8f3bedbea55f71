import AgoraCore
import AgoraOutput
import Foundation

extension SurrogateFit {
  /// The surrogate as a preset file (`population: {preset: FILE, size: N}`): one segment, `name`, with the fitted
  /// motives as constants, the fitted decoding (no top-p), and `memory` (the language-model segment's, as YAML flow).
  /// A mixture surrogate is one segment per type, `name-1`, `name-2`, ..., each with its share.
  public func presetFile(name: String, memory: String?, comment: String) -> String {
    var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)" }
    lines.append("segments:")
    // Shares in full (the loader wants them to sum to 1 within 1e-6), the last what the others leave; a type of
    // no weight is left out.
    let kept = mixture.filter { $0.share > 1e-9 }
    var shares = kept.map(\.share)
    let total = shares.reduce(0, +)
    shares = shares.map { $0 / total }
    if let last = shares.indices.last { shares[last] = 1 - shares.dropLast().reduce(0, +) }
    for (t, type) in kept.enumerated() {
      let e = type.estimate
      let motives = self.motives.map { "\($0.name): \(Self.number(e.motives[$0] ?? 0))" }
      lines += [
        "  - name: \(kept.count == 1 ? name : "\(name)-\(t + 1)")",
        "    share: \(kept.count == 1 ? "1" : "\(shares[t])")",
        "    preferences: {\(motives.joined(separator: ", "))}",
        "    decoding: {temperature: \(Self.number(e.temperature)), salience_bias: "
          + "\(Self.number(e.salienceBias)), position_bias: \(Self.number(e.positionBias)), "
          + "mode_collapse: \(Self.number(e.modeCollapse))}",
      ]
      if let memory { lines.append("    memory: \(memory)") }
    }
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
      row("fitted", fitted), row("held out", heldOut), "",
    ]
    if mixture.count > 1 {
      lines += [
        "## A mixture of \(mixture.count) types", "",
        "Each agent is of one type for all its decisions; the types share the salience and position biases and the "
          + "mode collapse. A held-out decision is predicted with its agent's type as its fitted decisions reveal it.",
        "",
        "| type | share | temperature | " + motives.map(\.name).joined(separator: " | ") + " |",
        "|---|---|---|" + String(repeating: "---|", count: motives.count),
      ]
      for (t, type) in mixture.enumerated() {
        lines.append(
          "| \(t + 1) | \(Self.number(type.share)) | \(Self.number(type.estimate.temperature)) | "
            + motives.map { Self.number(type.estimate.motives[$0] ?? 0) }.joined(separator: " | ") + " |")
      }
      lines += [
        "", "| decisions | count | log-likelihood per decision | uniform choice | gain per decision |",
        "|---|---|---|---|---|",
        row("fitted", mixtureFitted), row("held out", mixtureHeldOut), "",
        "The mixture's parameters: \(mixtureParameters) against \(motives.count + 4) for one type; its Bayesian "
          + "information criterion \(Self.number(mixtureBIC)) against \(Self.number(homogeneousBIC)) (lower is "
          + "better): \(mixtureBIC < homogeneousBIC ? "**the mixture**" : "**one type**") describes the choices "
          + "better for its number of parameters.", "",
      ]
    }
    lines += [verdict, ""]
    lines += figures.map { "![\($0)](\($0))" }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The number of fitted values of the mixture: each type's temperature and motives, the three shared decoding
  /// parameters, and the shares.
  var mixtureParameters: Int { mixture.count * (1 + motives.count) + 3 + mixture.count - 1 }

  /// The Bayesian information criteria of the homogeneous fit and of the mixture, with the fitted decisions as the
  /// sample size (a mixture's types are agents', so this penalises it less than a count of agents would).
  var homogeneousBIC: Double {
    Double(motives.count + 4) * log(Double(fitted.decisions)) - 2 * fitted.logLikelihood * Double(fitted.decisions)
  }
  /// Whether the mixture's information criterion beats the homogeneous fit's.
  public var mixtureWins: Bool { mixture.count > 1 && mixtureBIC < homogeneousBIC }
  var mixtureBIC: Double {
    Double(mixtureParameters) * log(Double(mixtureFitted.decisions)) - 2 * mixtureFitted.logLikelihood
      * Double(mixtureFitted.decisions)
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
    let gain = mixtureHeldOut.logLikelihood - mixtureHeldOut.uniform
    return gain > 0.1 && mixtureHeldOut.logLikelihood > mixtureFitted.logLikelihood - 0.25
  }

  var verdict: String {
    trustworthy
      ? "**A usable surrogate:** it predicts the held-out choices clearly better than a uniform choice "
        + "(\(Self.number(mixtureHeldOut.logLikelihood - mixtureHeldOut.uniform)) nats a decision) and about as well "
        + "as those it was fitted to. Check the pictures: the surrogate's choices against the model's, by kind of decision."
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
        for (k, p) in mixtureProbabilities(d).enumerated() { predicted[k] += p / Double(here.count) }
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
