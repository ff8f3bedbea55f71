import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Metrics")
struct MetricsTests {
  /// `Validation/metric_vectors.csv` (copied into the repository with its sources).
  static let vectorsPath = TestSupport.validation("metric_vectors.csv")

  @Test("published vectors of Validation/metric_vectors.csv (7 significant digits)")
  func validationVectors() throws {
    let table = try CSVTable(contentsOf: Self.vectorsPath)
    #expect(table.rows.count >= 3)
    for row in table.rows {
      let x = row[0].split(separator: " ").map { Double($0)! }
      func expected(_ column: String) throws -> Double { Double(row[try table.columnIndex(column)])! }
      let computed: [(String, Double)] = [
        ("gini", try Inequality.gini(x)), ("gini_sample", try Inequality.sampleGini(x)),
        ("hoover", try Inequality.hoover(x)), ("theil_t", try Inequality.theilT(x)),
        ("theil_l", try Inequality.theilL(x)),
        ("atkinson_0_5", try Inequality.atkinson(x, epsilon: 0.5)),
        ("atkinson_1", try Inequality.atkinson(x, epsilon: 1)),
        ("atkinson_2", try Inequality.atkinson(x, epsilon: 2)), ("jain", try Inequality.jain(x)),
        ("nash_welfare_geomean", try Inequality.nashWelfare(x)),
      ]
      for (name, value) in computed {
        let target = try expected(name)
        #expect(abs(value - target) <= 5e-7 * max(1, abs(target)), "\(name) of \(row[0]): \(value) vs \(target)")
      }
    }
  }

  @Test("hand-computed values")
  func handComputed() throws {
    let x = [1.0, 2, 3, 4]
    #expect(abs(try Inequality.gini(x) - 0.25) < 1e-15)
    #expect(abs(try Inequality.hoover(x) - 0.2) < 1e-15)
    #expect(abs(try Inequality.jain(x) - 100.0 / 120) < 1e-15)
    #expect(abs(try Inequality.nashWelfare(x) - pow(24, 0.25)) < 1e-12)
    #expect(abs(try Inequality.equality(x) - (1 - 0.25 * 4 / 3)) < 1e-15)
    let shares = try Inequality.extremeShares(x)
    #expect(shares.min == 0.1 && shares.max == 0.4)
  }

  @Test("all equal: no inequality at all")
  func allEqual() throws {
    let x = [Double](repeating: 7, count: 9)
    for (name, value) in try Inequality.all(x) {
      switch name {
      case "jain", "equality": #expect(abs(value - 1) < 1e-12, "\(name)")
      case "nash_welfare": #expect(abs(value - 7) < 1e-12)
      case "min_share", "max_share": #expect(abs(value - 1.0 / 9) < 1e-12)
      default: #expect(abs(value) < 1e-12, "\(name) = \(value)")
      }
    }
  }

  @Test("one person has everything")
  func oneHasAll() throws {
    let x = [0.0, 0, 0, 10]
    #expect(try Inequality.gini(x) == 0.75)
    #expect(try Inequality.sampleGini(x) == 1)
    #expect(try Inequality.equality(x) == 0)
    #expect(try Inequality.hoover(x) == 0.75)
    #expect(abs(try Inequality.theilT(x) - log(4)) < 1e-12)
    #expect(try Inequality.theilL(x) == .infinity)
    #expect(try Inequality.atkinson(x, epsilon: 2) == 1)
    #expect(try Inequality.atkinson(x, epsilon: 1) == 1)
    #expect(try Inequality.nashWelfare(x) == 0)
    #expect(try Inequality.jain(x) == 0.25)
  }

  @Test("the radix sort of amounts matches sorted() on one and two threads, whichever bits differ")
  func radixSort() throws {
    let stream = RandomStream(seed: 23)
    let samples: [[Double]] = [
      (0..<300_000).map { _ in stream.uniform() * 1e6 },  // every bit differs
      (0..<300_000).map { _ in Double(stream.integer(below: 1000) * 5) },  // a grid: low bits shared
      (0..<5000).map { _ in 1 + Double(stream.integer(below: 4)) / 8 },  // one binade: high bits shared
      [Double](repeating: 7, count: 5000),  // no bit differs
      (0..<300_000).map { i in i % 3 == 0 ? 0 : (i % 3 == 1 ? 5e-324 : stream.uniform()) },  // zeros, subnormals
    ]
    for x in samples {
      let expected = x.sorted().map(\.bitPattern)
      for threads in [1, 2] {
        var sorter = AmountSorter()
        x.withUnsafeBufferPointer { sorter.sort($0, threads: threads) }
        #expect(Array(sorter.keys[0..<x.count]) == expected, "\(x.count) amounts, \(threads) threads")
      }
      #expect(try Inequality.gini(x, threads: 1) == Inequality.gini(x, threads: 2))
    }
  }

  @Test("edge cases: all zeros, a single agent, and invalid inputs")
  func edgeCases() throws {
    #expect(try Inequality.gini([0, 0, 0]) == 0)
    #expect(try Inequality.jain([0, 0]) == 1)
    #expect(try Inequality.theilL([0, 0]) == 0)
    #expect(try Inequality.gini([5]) == 0)
    #expect(try Inequality.sampleGini([5]) == 0)
    #expect(throws: MetricError.empty) { try Inequality.gini([]) }
    #expect(throws: MetricError.negative(index: 1, value: -1)) { try Inequality.gini([1, -1]) }
    #expect(throws: MetricError.self) { try Inequality.theilT([1, .nan]) }
    #expect(throws: MetricError.self) { try Inequality.hoover([1, .infinity]) }
    #expect(throws: MetricError.self) { try Inequality.atkinson([1, 2], epsilon: -1) }
  }
}
