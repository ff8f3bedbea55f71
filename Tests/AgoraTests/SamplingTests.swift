import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Sampling")
struct SamplingTests {
  /// Mean and variance of `n` draws.
  func moments(_ n: Int, _ draw: () -> Double) -> (mean: Double, variance: Double) {
    var sum = 0.0
    var sumSq = 0.0
    for _ in 0..<n {
      let x = draw()
      sum += x
      sumSq += x * x
    }
    let mean = sum / Double(n)
    return (mean, sumSq / Double(n) - mean * mean)
  }

  @Test("the same seed gives the same draws; another seed other draws")
  func reproducible() {
    for generator in [RandomGenerator.taus2, .mt19937, RandomGenerator(name: "ranlxd2")!] {
      let a = RandomStream(generator: generator, seed: 12345)
      let b = RandomStream(generator: generator, seed: 12345)
      let c = RandomStream(generator: generator, seed: 12346)
      let xa = (0..<100).map { _ in a.uniform() }
      #expect(xa == (0..<100).map { _ in b.uniform() })
      #expect(xa != (0..<100).map { _ in c.uniform() })
    }
  }

  @Test("64-bit seeds that agree in their low 32 bits still give different taus2 and mt19937 streams")
  func fullWidthSeeds() {
    for generator in [RandomGenerator.taus2, .mt19937] {
      let a = RandomStream(generator: generator, seed: 7)
      let b = RandomStream(generator: generator, seed: 7 | (1 << 40))
      #expect((0..<10).map { _ in a.uniform() } != (0..<10).map { _ in b.uniform() })
    }
  }

  @Test("derived seeds are distinct across runs, purposes and indices")
  func derivedSeedsDistinct() {
    var seen = Set<UInt64>()
    for run in 0..<50 {
      let seeds = SeedSequence(master: 42, runIndex: UInt64(run))
      for purpose in [StreamPurpose.population, .matching, .decisions, .latency] {
        for index in 0..<50 { seen.insert(seeds.seed(for: purpose, index: UInt64(index))) }
      }
    }
    #expect(seen.count == 50 * 4 * 50)
    #expect(SeedSequence(master: 1).seed(for: .decisions) == SeedSequence(master: 1).seed(for: .decisions))
  }

  @Test(
    "draws match the exact mean and variance",
    arguments: [
      Distribution.uniform(min: -1, max: 3), .normal(mean: 2, sd: 0.5),
      .truncatedNormal(mean: 0.8, sd: 0.3, min: 0, max: 1), .truncatedNormal(mean: 0, sd: 1, min: 5, max: .infinity),
      .lognormal(mu: 0, sigma: 0.5), .beta(a: 2, b: 3), .gamma(shape: 2, scale: 1.5), .exponential(mean: 2),
      .poisson(mean: 4), .discrete(values: [1, 5, 10], probabilities: [0.2, 0.5, 0.3]), .constant(3),
    ])
  func moments(of distribution: Distribution) {
    let stream = RandomStream(seed: 2024)
    let n = 200_000
    let (mean, variance) = moments(n) { distribution.sample(stream) }
    let sd = distribution.variance.squareRoot()
    // 5 standard errors for the mean; 5% relative (or 1e-9 absolute) for the variance.
    #expect(
      abs(mean - distribution.mean) <= 5 * sd / Double(n).squareRoot() + 1e-12, "mean \(mean) vs \(distribution.mean)")
    #expect(
      abs(variance - distribution.variance) <= 0.05 * distribution.variance + 1e-9,
      "variance \(variance) vs \(distribution.variance)")
  }

  @Test("truncated normal draws stay inside their bounds, even far in the tail")
  func truncatedBounds() {
    let stream = RandomStream(seed: 9)
    for _ in 0..<10_000 {
      let x = Distribution.truncatedNormal(mean: 0, sd: 1, min: 6, max: 7).sample(stream)
      #expect(x >= 6 && x <= 7)
    }
  }

  @Test("impossible parameters are reported, not sampled")
  func parameterProblems() {
    #expect(Distribution.beta(a: -1, b: 1).parameterProblem != nil)
    #expect(Distribution.gamma(shape: 0, scale: 1).parameterProblem != nil)
    #expect(Distribution.normal(mean: 0, sd: 0).parameterProblem != nil)
    #expect(Distribution.discrete(values: [1, 2], probabilities: [0.5, 0.6]).parameterProblem != nil)
    #expect(Distribution.uniform(min: 2, max: 1).parameterProblem != nil)
    #expect(Distribution.beta(a: 2, b: 3).parameterProblem == nil)
  }

  @Test("Dirichlet draws lie on the simplex with mean alpha / sum(alpha)")
  func dirichlet() {
    let stream = RandomStream(seed: 5)
    let d = JointDistribution.dirichlet(alpha: [2, 3, 5])
    var out = [0.0, 0, 0]
    var sums = [0.0, 0, 0]
    let n = 100_000
    for _ in 0..<n {
      d.sample(stream, into: &out)
      #expect(abs(out.reduce(0, +) - 1) < 1e-12)
      for k in 0..<3 { sums[k] += out[k] }
    }
    for (k, expected) in [0.2, 0.3, 0.5].enumerated() { #expect(abs(sums[k] / Double(n) - expected) < 0.003) }
  }

  @Test("multivariate normal draws have the requested mean and covariance")
  func multivariateNormal() throws {
    let cov = [[1.0, 0.6, -0.2], [0.6, 2.0, 0.3], [-0.2, 0.3, 0.5]]
    let d = try JointDistribution.multivariateNormal(mean: [1, -2, 0.5], covariance: cov)
    let stream = RandomStream(seed: 77)
    let n = 200_000
    var out = [0.0, 0, 0]
    var sum = [0.0, 0, 0]
    var cross = [[Double]](repeating: [0, 0, 0], count: 3)
    for _ in 0..<n {
      d.sample(stream, into: &out)
      for i in 0..<3 {
        sum[i] += out[i]
        for j in 0..<3 { cross[i][j] += out[i] * out[j] }
      }
    }
    let mean = sum.map { $0 / Double(n) }
    for (i, m) in [1.0, -2, 0.5].enumerated() { #expect(abs(mean[i] - m) < 0.01) }
    for i in 0..<3 {
      for j in 0..<3 {
        let c = cross[i][j] / Double(n) - mean[i] * mean[j]
        #expect(abs(c - cov[i][j]) < 0.02, "cov[\(i)][\(j)] = \(c)")
      }
    }
  }

  @Test("a covariance that is not positive definite is refused")
  func notPositiveDefinite() {
    #expect(throws: SamplingError.self) {
      try JointDistribution.multivariateNormal(mean: [0, 0], covariance: [[1, 2], [2, 1]])
    }
    #expect(throws: SamplingError.self) {
      try JointDistribution.multivariateNormal(mean: [0, 0], covariance: [[1, 0.1], [0.2, 1]])
    }
  }

  /// The generic shuffle (GSL's call), whatever the element type.
  static func gslShuffle<T>(_ stream: RandomStream, _ array: inout [T]) { stream.shuffle(&array) }

  @Test("the inline shuffle of agent ids is GSL's: the same permutation and the stream left in the same state")
  func inlineShuffle() {
    for (seed, n) in [(1, 2), (2, 3), (3, 17), (4, 1000), (5, 65_537), (6, 300_000)] as [(UInt64, Int32)] {
      for generator in [RandomGenerator.taus2, .mt19937] {
        let inline = RandomStream(generator: generator, seed: seed)
        let reference = inline.copy()
        var a = Array(0..<n)
        var b = a
        inline.shuffle(&a)
        Self.gslShuffle(reference, &b)
        #expect(a == b, "\(generator) n \(n)")
        #expect(inline.uniform() == reference.uniform(), "\(generator) n \(n): the next draw")
      }
    }
  }
}
