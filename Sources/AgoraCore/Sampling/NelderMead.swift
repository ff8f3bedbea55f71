import CGSL

/// GSL's Nelder-Mead simplex (`nmsimplex2`) over a function of real vectors: the one minimiser of the presets'
/// calibration and of the surrogates' maximum likelihood.
public enum NelderMead {
  /// Minimises `objective` from `start` (initial steps `step`) for at most `evaluations` evaluations or until the
  /// simplex is smaller than `tolerance`; an objective that returns `nil` stops the descent. Returns the best point
  /// seen, its value and the evaluations made.
  public static func minimize(
    start: [Double], step: [Double], evaluations: Int, tolerance: Double = 1e-3,
    _ objective: ([Double]) -> Double?
  ) -> (point: [Double], value: Double, evaluations: Int) {
    let n = start.count
    precondition(n > 0 && step.count == n, "a start and a step for each of at least one dimension")
    final class Box {
      let n: Int
      var objective: ([Double]) -> Double?
      var count = 0
      var best = Double.infinity
      var bestPoint: [Double]
      var stopped = false
      init(n: Int, start: [Double], _ objective: @escaping ([Double]) -> Double?) {
        self.n = n
        self.objective = objective
        bestPoint = start
      }
      func evaluate(_ x: UnsafePointer<gsl_vector>) -> Double {
        let point = (0..<n).map { gsl_vector_get(x, $0) }
        count += 1
        guard let value = objective(point) else {
          stopped = true
          return 1e300
        }
        if value < best {
          best = value
          bestPoint = point
        }
        // GSL's simplex needs finite values: a point where the objective is not a number is merely very bad.
        return value.isFinite ? value : 1e300
      }
    }
    GSL.configureOnce()  // GSL's errors are reported, not abort()ed
    return withoutActuallyEscaping(objective) { objective in
      let box = Box(n: n, start: start, objective)
      let (x, s) = (gsl_vector_alloc(n)!, gsl_vector_alloc(n)!)
      defer {
        gsl_vector_free(x)
        gsl_vector_free(s)
      }
      for k in 0..<n {
        gsl_vector_set(x, k, start[k])
        gsl_vector_set(s, k, step[k])
      }
      let unmanaged = Unmanaged.passRetained(box)
      defer { unmanaged.release() }
      var function = gsl_multimin_function(
        f: { x, params in Unmanaged<Box>.fromOpaque(params!).takeUnretainedValue().evaluate(x!) }, n: n,
        params: unmanaged.toOpaque())
      let minimizer = gsl_multimin_fminimizer_alloc(agora_nmsimplex2(), n)!
      defer { gsl_multimin_fminimizer_free(minimizer) }
      guard gsl_multimin_fminimizer_set(minimizer, &function, x, s) == GSL_SUCCESS else {
        return (box.bestPoint, box.best, box.count)
      }
      while box.count < evaluations && !box.stopped {
        if gsl_multimin_fminimizer_iterate(minimizer) != GSL_SUCCESS { break }
        if gsl_multimin_test_size(gsl_multimin_fminimizer_size(minimizer), tolerance) == GSL_SUCCESS { break }
      }
      return (box.bestPoint, box.best, box.count)
    }
  }
}
