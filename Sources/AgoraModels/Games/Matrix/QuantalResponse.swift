import AgoraCore
import CGSL
import Foundation

/// The logit quantal response equilibrium (McKelvey & Palfrey 1995) of a two-player normal-form game: mixed
/// strategies with `sigma_row = softmax(lambda * EU_row(sigma_column))` and the same for the column player.
///
/// The principal branch is traced from `lambda = 0` (uniform play) by continuation: small steps in lambda, each
/// solved by Newton's method on the log-probabilities from the previous point (GSL LU for the linear systems).
/// As lambda grows the branch approaches a Nash equilibrium (the "Nash limit").
public enum QuantalResponse {
  /// One point of the branch.
  public struct Point: Sendable, Equatable {
    public var lambda: Double
    public var row: [Double]
    public var column: [Double]
    /// Expected payoffs of the row and column players at this point.
    public var rowPayoff: Double
    public var columnPayoff: Double
  }

  /// The QRE at each of `lambdas` (in any order), on the principal branch.
  public static func trace(_ m: PayoffBimatrix, lambdas: [Double]) -> [Point] {
    let k = m.rowActions.count
    let l = m.columnActions.count
    var y = [Double](repeating: -log(Double(k)), count: k) + [Double](repeating: -log(Double(l)), count: l)
    var lambda = 0.0
    var points: [Double: Point] = [:]
    for target in lambdas.sorted() {
      while lambda < target {
        let next = min(target, lambda < 1 ? lambda + 0.02 : lambda * 1.02)
        if let solved = newton(m, lambda: next, start: y) {
          y = solved
          lambda = next
        } else {
          let half = (lambda + next) / 2
          guard half > lambda + 1e-9, let solved = newton(m, lambda: half, start: y) else { break }
          y = solved
          lambda = half
        }
      }
      points[target] = point(m, lambda: target, y: y)
    }
    return lambdas.map { points[$0]! }
  }

  /// The limit of the principal branch as lambda grows (evaluated at lambda = 10^4).
  public static func nashLimit(_ m: PayoffBimatrix) -> Point { trace(m, lambdas: [10_000])[0] }

  static func point(_ m: PayoffBimatrix, lambda: Double, y: [Double]) -> Point {
    let k = m.rowActions.count
    let row = y[0..<k].map { exp($0) }
    let column = y[k...].map { exp($0) }
    var pr = 0.0
    var pc = 0.0
    for a in 0..<k {
      for b in column.indices {
        pr += row[a] * column[b] * m.row[a][b]
        pc += row[a] * column[b] * m.column[a][b]
      }
    }
    return Point(lambda: lambda, row: row, column: Array(column), rowPayoff: pr, columnPayoff: pc)
  }

  /// The residual of the QRE conditions in log-probabilities.
  static func residual(_ m: PayoffBimatrix, lambda: Double, y: [Double]) -> [Double] {
    let k = m.rowActions.count
    let l = m.columnActions.count
    let row = y[0..<k].map { exp($0) }
    let column = y[k...].map { exp($0) }
    var out = [Double](repeating: 0, count: k + l)
    let eur = (0..<k).map { a in (0..<l).reduce(0.0) { $0 + column[$1] * m.row[a][$1] } }
    let euc = (0..<l).map { b in (0..<k).reduce(0.0) { $0 + row[$1] * m.column[$1][b] } }
    let zr = logSumExp(eur.map { lambda * $0 })
    let zc = logSumExp(euc.map { lambda * $0 })
    for a in 0..<k { out[a] = y[a] - (lambda * eur[a] - zr) }
    for b in 0..<l { out[k + b] = y[k + b] - (lambda * euc[b] - zc) }
    return out
  }

  static func logSumExp(_ x: [Double]) -> Double {
    let top = x.max() ?? 0
    return top + log(x.reduce(0) { $0 + exp($1 - top) })
  }

  /// Newton's method on the residual from `start`; `nil` if it does not converge.
  static func newton(_ m: PayoffBimatrix, lambda: Double, start: [Double]) -> [Double]? {
    let n = start.count
    var y = start
    let jacobian = gsl_matrix_alloc(n, n)!
    let permutation = gsl_permutation_alloc(n)!
    let rhs = gsl_vector_alloc(n)!
    let step = gsl_vector_alloc(n)!
    defer {
      gsl_matrix_free(jacobian)
      gsl_permutation_free(permutation)
      gsl_vector_free(rhs)
      gsl_vector_free(step)
    }
    for _ in 0..<100 {
      let f = residual(m, lambda: lambda, y: y)
      if f.reduce(0, { max($0, abs($1)) }) < 1e-12 { return y }
      for j in 0..<n {
        let h = 1e-7 * max(1, abs(y[j]))
        var up = y
        var down = y
        up[j] += h
        down[j] -= h
        let fu = residual(m, lambda: lambda, y: up)
        let fd = residual(m, lambda: lambda, y: down)
        for i in 0..<n { gsl_matrix_set(jacobian, i, j, (fu[i] - fd[i]) / (2 * h)) }
      }
      for i in 0..<n { gsl_vector_set(rhs, i, -f[i]) }
      var sign: Int32 = 0
      guard gsl_linalg_LU_decomp(jacobian, permutation, &sign) == GSL_SUCCESS,
        gsl_linalg_LU_solve(jacobian, permutation, rhs, step) == GSL_SUCCESS
      else { return nil }
      for i in 0..<n { y[i] += gsl_vector_get(step, i) }
      if y.contains(where: { !$0.isFinite }) { return nil }
    }
    let f = residual(m, lambda: lambda, y: y)
    return f.reduce(0, { max($0, abs($1)) }) < 1e-9 ? y : nil
  }
}
