import AgoraCore
import AgoraLanguageModel
import CGSL
import Foundation

/// Ordinary least squares of a metric on one-hot encoded factors (and optional interactions), as the GLEE
/// benchmark's effect tables use: each level's effect relative to a baseline level, with a t-based confidence
/// interval. The fit is GSL's `gsl_multifit_linear` (SVD).
public struct Regression: Sendable {
  /// One estimated coefficient.
  public struct Term: Sendable, Equatable {
    /// `(intercept)`, `factor=level`, or `a=x:b=y` for an interaction.
    public var name: String
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

  /// Fits `response` on `factors` of `table`. `baseline` gives a factor's reference level (default: its first level
  /// in the file); `interactions` are pairs of factors whose non-baseline level combinations get their own terms.
  /// Rows with an empty response are left out.
  public init(
    _ table: CSVTable, response: String, factors: [String], baseline: [String: String] = [:],
    interactions: [(String, String)] = [], level: Double = 0.95
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
    // Design columns: intercept, then each factor's non-baseline levels, then interaction cells.
    var names = ["(intercept)"]
    var indicator: [(([String]) -> Bool)] = [{ _ in true }]
    for (k, f) in factors.enumerated() {
      for l in levels[k] where l != base[f] {
        names.append("\(f)=\(l)")
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
    let t = Summary.tQuantile(1 - (1 - level) / 2, degrees: Double(n - p))
    terms = (0..<p).map { j in
      let estimate = gsl_vector_get(c, j)
      let se = gsl_matrix_get(cov, j, j).squareRoot()
      return Term(
        name: names[j], estimate: estimate, standardError: se, low: estimate - t * se, high: estimate + t * se,
        n: counts[j])
    }
  }
}
