import CGSL

/// A distribution over several real values at once: a Dirichlet or a multivariate normal.
public enum JointDistribution: Sendable, Hashable {
  case dirichlet(alpha: [Double])
  /// A multivariate normal; `cholesky` is the lower-triangular factor L of the covariance (cov = L Lᵀ), row-major.
  case multivariateNormal(mean: [Double], cholesky: [Double])

  /// The number of values one draw gives.
  public var dimension: Int {
    switch self {
    case .dirichlet(let alpha): return alpha.count
    case .multivariateNormal(let mean, _): return mean.count
    }
  }

  /// A multivariate normal with covariance `cov` (row-major, k x k), factorised with GSL's Cholesky routine.
  /// Throws when `cov` is not symmetric positive definite.
  public static func multivariateNormal(mean: [Double], covariance cov: [[Double]]) throws(SamplingError)
    -> JointDistribution
  {
    let k = mean.count
    guard k > 0, cov.count == k, cov.allSatisfy({ $0.count == k }) else {
      throw .invalidParameter("cov must be a \(k)x\(k) matrix to match mean")
    }
    for i in 0..<k {
      for j in 0..<k where abs(cov[i][j] - cov[j][i]) > 1e-12 * max(1, abs(cov[i][j])) {
        throw .invalidParameter(
          "cov must be symmetric (cov[\(i)][\(j)] = \(cov[i][j]), cov[\(j)][\(i)] = \(cov[j][i]))")
      }
    }
    GSL.configureOnce()
    let m = gsl_matrix_alloc(k, k)!
    defer { gsl_matrix_free(m) }
    for i in 0..<k { for j in 0..<k { gsl_matrix_set(m, i, j, cov[i][j]) } }
    guard gsl_linalg_cholesky_decomp1(m) == GSL_SUCCESS else {
      throw .invalidParameter("cov must be positive definite")
    }
    var l = [Double](repeating: 0, count: k * k)
    for i in 0..<k { for j in 0...i { l[i * k + j] = gsl_matrix_get(m, i, j) } }
    return .multivariateNormal(mean: mean, cholesky: l)
  }

  /// Writes one draw into `out` (count == dimension).
  public func sample(_ stream: RandomStream, into out: inout [Double]) {
    switch self {
    case .dirichlet(let alpha):
      alpha.withUnsafeBufferPointer { a in
        out.withUnsafeMutableBufferPointer { o in
          gsl_ran_dirichlet(stream.rng, a.count, a.baseAddress, o.baseAddress)
        }
      }
    case .multivariateNormal(let mean, let l):
      let k = mean.count
      var z = [Double](repeating: 0, count: k)
      for i in 0..<k { z[i] = gsl_ran_gaussian_ziggurat(stream.rng, 1) }
      for i in 0..<k {
        var v = mean[i]
        for j in 0...i { v += l[i * k + j] * z[j] }
        out[i] = v
      }
    }
  }
}

/// A distribution whose parameters cannot be sampled.
public enum SamplingError: Error, Sendable, Equatable, CustomStringConvertible {
  case invalidParameter(String)

  public var description: String {
    switch self {
    case .invalidParameter(let message): return message
    }
  }
}
