import AgoraCore
import AgoraLanguageModel
import CGSL
import Foundation

/// Ordinary least squares of a metric on one-hot encoded factors (and optional interactions), as the GLEE
/// benchmark's effect tables use: each level's effect relative to a baseline level, with a confidence interval from
/// Student's t (the default) or the normal distribution (GLEE's). The fit is GSL's `gsl_multifit_linear` (SVD).
public struct Regression: Sendable {
  /// The distribution of a coefficient's confidence interval: Student's t on the residual degrees of freedom, or the
  /// normal distribution, as GLEE's tables use (the same for thousands of games).
  public enum Interval: String, Sendable, CaseIterable {
    case t, z
  }

  /// One estimated coefficient.
  public struct Term: Sendable, Equatable {
    /// `(intercept)`, `factor=level`, or `a=x:b=y` for an interaction.
    public var name: String
    /// The factor (`a:b` for an interaction; `(intercept)`) and its level (`x:y`; empty for the intercept), as
    /// GLEE's tables name them.
    public var parameter: String
    public var value: String
    public var estimate: Double
    public var standardError: Double
    public var low: Double
    public var high: Double
    /// Rows with this level (or combination).
    public var n: Int
  }

  public var response: String
  public var terms: [Term]
  public var n: Int
  public var rSquared: Double
  /// The baseline level of each factor.
  public var baseline: [String: String]
  /// The factors, in the order given.
  public var factors: [String]
  /// The rows at each factor's baseline level.
  public var baselineCounts: [String: Int]

  /// GLEE's table: the intercept, then for each factor its baseline level (effect 0, interval 0 to 0) and its other
  /// levels in the order they first appear, then the interactions.
  public var table: [Term] {
    var rows = terms.filter { $0.parameter == "(intercept)" }
    for f in factors {
      let b = baseline[f] ?? ""
      rows.append(
        Term(
          name: "\(f)=\(b)", parameter: f, value: b, estimate: 0, standardError: 0, low: 0, high: 0,
          n: baselineCounts[f] ?? 0))
      rows += terms.filter { $0.parameter == f }
    }
    return rows + terms.filter { $0.parameter.contains(":") }
  }

  /// Fits `response` on `factors` of `table`. `baseline` gives a factor's reference level (default: its first level
  /// in the file); `interactions` are pairs of factors whose non-baseline level combinations get their own terms.
  /// Rows with an empty response are left out.
  public init(
    _ table: CSVTable, response: String, factors: [String], baseline: [String: String] = [:],
    interactions: [(String, String)] = [], level: Double = 0.95, interval: Interval = .t
  ) throws(OutputError) {
    let y = try table.index(of: response)
    let columns = try factors.map { f throws(OutputError) in try table.index(of: f) }
    for (a, b) in interactions where !factors.contains(a) || !factors.contains(b) {
      throw .missingColumn(path: table.source, reason: "interaction \(a):\(b) needs both in --factors")
    }
    let rows = table.rows.enumerated().filter { !$0.element[y].isEmpty }
    var levels: [[String]] = columns.map { _ in [] }
    for (_, row) in rows {
      for (k, c) in columns.enumerated() where !levels[k].contains(row[c]) { levels[k].append(row[c]) }
    }
    var base: [String: String] = [:]
    for (k, f) in factors.enumerated() {
      let chosen = baseline[f] ?? levels[k].first ?? ""
      guard levels[k].contains(chosen) else {
        throw .missingColumn(
          path: table.source,
          reason: "baseline \(f)=\(chosen) is not a level of \(f); levels: \(levels[k].joined(separator: ", "))")
      }
      base[f] = chosen
    }
    self.response = response
    self.baseline = base
    self.factors = factors
    var atBaseline: [String: Int] = [:]
    for (k, f) in factors.enumerated() {
      atBaseline[f] = rows.filter { $0.element[columns[k]] == base[f] }.count
    }
    baselineCounts = atBaseline
    // Design columns: intercept, then each factor's non-baseline levels, then interaction cells.
    var names = ["(intercept)"]
    var labels = [("(intercept)", "")]
    var indicator: [(([String]) -> Bool)] = [{ _ in true }]
    for (k, f) in factors.enumerated() {
      for l in levels[k] where l != base[f] {
        names.append("\(f)=\(l)")
        labels.append((f, l))
        let c = columns[k]
        indicator.append { $0[c] == l }
      }
    }
    for (a, b) in interactions {
      let ka = factors.firstIndex(of: a)!
      let kb = factors.firstIndex(of: b)!
      for la in levels[ka] where la != base[a] {
        for lb in levels[kb] where lb != base[b] {
          names.append("\(a)=\(la):\(b)=\(lb)")
          labels.append(("\(a):\(b)", "\(la):\(lb)"))
          let (ca, cb) = (columns[ka], columns[kb])
          indicator.append { $0[ca] == la && $0[cb] == lb }
        }
      }
    }
    let n = rows.count
    let p = names.count
    guard n > p else {
      throw .malformed(path: table.source, line: 1, reason: "\(n) rows cannot fit \(p) coefficients")
    }
    let x = gsl_matrix_alloc(n, p)!
    let yv = gsl_vector_alloc(n)!
    let c = gsl_vector_alloc(p)!
    let cov = gsl_matrix_alloc(p, p)!
    let work = gsl_multifit_linear_alloc(n, p)!
    defer {
      gsl_matrix_free(x)
      gsl_vector_free(yv)
      gsl_vector_free(c)
      gsl_matrix_free(cov)
      gsl_multifit_linear_free(work)
    }
    var counts = [Int](repeating: 0, count: p)
    var ys: [Double] = []
    for (i, (r, row)) in rows.enumerated() {
      let v = try table.number(row: r, column: y)
      ys.append(v)
      gsl_vector_set(yv, i, v)
      for j in 0..<p {
        let on = indicator[j](row)
        if on { counts[j] += 1 }
        gsl_matrix_set(x, i, j, on ? 1 : 0)
      }
    }
    var chisq = 0.0
    guard gsl_multifit_linear(x, yv, c, cov, &chisq, work) == GSL_SUCCESS else {
      throw .malformed(path: table.source, line: 1, reason: "the regression could not be fitted")
    }
    let mean = ys.reduce(0, +) / Double(n)
    let total = ys.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    rSquared = total > 0 ? 1 - chisq / total : .nan
    self.n = n
    let q = 1 - (1 - level) / 2
    let t = interval == .z ? gsl_cdf_ugaussian_Pinv(q) : Summary.tQuantile(q, degrees: Double(n - p))
    terms = (0..<p).map { j in
      let estimate = gsl_vector_get(c, j)
      let se = gsl_matrix_get(cov, j, j).squareRoot()
      return Term(
        name: names[j], parameter: labels[j].0, value: labels[j].1, estimate: estimate, standardError: se,
        low: estimate - t * se, high: estimate + t * se,
        n: counts[j])
    }
  }
}
