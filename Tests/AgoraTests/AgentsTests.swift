import CAgoraMath
import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Agents")
struct AgentsTests {
  func distribution(_ utilities: [Double], salient: Int = -1, _ p: DecodingParameters) -> [Double] {
    var decoder = ChoiceDecoder()
    return utilities.withUnsafeBufferPointer { decoder.distribution(utilities: $0, salient: salient, parameters: p) }
  }

  func frequencies(_ utilities: [Double], salient: Int = -1, _ p: DecodingParameters, draws: Int, seed: UInt64 = 3)
    -> [Int]
  {
    var decoder = ChoiceDecoder()
    let stream = RandomStream(seed: seed)
    var counts = [Int](repeating: 0, count: utilities.count)
    utilities.withUnsafeBufferPointer { u in
      for _ in 0..<draws { counts[decoder.choose(utilities: u, salient: salient, parameters: p, stream: stream)] += 1 }
    }
    return counts
  }

  @Test("temperature 0 picks the argmax, ties to the lowest index")
  func greedy() {
    let counts = frequencies([0.1, 0.9, 0.3, 0.9], DecodingParameters(temperature: 0), draws: 100)
    #expect(counts == [0, 100, 0, 0])
    #expect(distribution([0.1, 0.9, 0.3, 0.9], DecodingParameters(temperature: 0)) == [0, 1, 0, 0])
  }

  @Test("at temperature 1 choice frequencies match the softmax (chi-square, 4 dof, p = 0.001)")
  func softmaxChiSquare() {
    let utilities = [0.1, 0.5, -0.3, 0.9, 0.2]
    let draws = 100_000
    let counts = frequencies(utilities, DecodingParameters(temperature: 1), draws: draws)
    let weights = utilities.map { exp($0) }
    let total = weights.reduce(0, +)
    var chi = 0.0
    for k in utilities.indices {
      let expected = Double(draws) * weights[k] / total
      chi += (Double(counts[k]) - expected) * (Double(counts[k]) - expected) / expected
    }
    #expect(chi < 18.47, "chi-square \(chi)")
  }

  @Test("position and salience biases add to the logits exactly as DESIGN.md writes")
  func biases() {
    let p = distribution(
      [0, 0, 0, 0], salient: 2, DecodingParameters(temperature: 0.5, positionBias: 1, salienceBias: 2))
    let w = [exp(1.0), 1, exp(2.0), 1]
    let total = w.reduce(0, +)
    for k in 0..<4 { #expect(abs(p[k] - w[k] / total) < 1e-12) }
  }

  /// The decoding distribution of an amount on `count` grid points with utility `u(x)`.
  func amountDistribution(_ count: Int, _ p: DecodingParameters, _ u: (Double) -> Double) -> [Double] {
    let utilities = (0..<count).map { u(Double($0) / Double(count - 1)) }
    let weights = AmountGrid(count: count).logWeights(focalMass: p.focalMass)
    var decoder = ChoiceDecoder(capacity: count)
    return utilities.withUnsafeBufferPointer { u in
      weights.withUnsafeBufferPointer { w in
        decoder.distribution(utilities: u, salient: -1, parameters: p, logWeights: w.baseAddress!)
      }
    }
  }

  @Test("an amount's option weighs its rounding width (half at the ends) plus focal_mass at none, half and all")
  func amountWeights() {
    let p = amountDistribution(5, DecodingParameters(temperature: 0.5, focalMass: 0.1)) { $0 }
    let h = 0.25
    let w = [h / 2 + 0.1, h, h + 0.1, h, h / 2 + 0.1].enumerated().map { $0.element * exp(Double($0.offset) * h / 0.5) }
    let total = w.reduce(0, +)
    for k in 0..<5 { #expect(abs(p[k] - w[k] / total) < 1e-12) }
    #expect(AmountGrid(count: 4).focal == [0, 1, 3], "the lower middle option on an odd number of steps")
  }

  @Test("a choice of an amount does not depend on the grid: its mean and focal shares converge as the grid is refined")
  func amountGridLimit() {
    let decoding = DecodingParameters(temperature: 0.1, focalMass: 0.05)
    let u = { (x: Double) in -4 * (x - 0.3) * (x - 0.3) }
    // The limit: point masses 0.05 e^(u/T) at 0, 1/2, 1 and the density e^(u/T) (Simpson's rule, 20000 intervals).
    let n = 20000
    var integral = 0.0
    var moment = 0.0
    for j in 0...n {
      let x = Double(j) / Double(n)
      let weight = (j == 0 || j == n ? 1.0 : (j % 2 == 1 ? 4.0 : 2.0)) / (3 * Double(n))
      integral += weight * exp(u(x) / 0.1)
      moment += weight * x * exp(u(x) / 0.1)
    }
    let atoms = [0.0, 0.5, 1.0].map { 0.05 * exp(u($0) / 0.1) }
    let total = integral + atoms.reduce(0, +)
    let half = atoms[1] / total
    let mean = (moment + atoms[1] * 0.5 + atoms[2]) / total
    for count in [201, 1001, 4001] {
      let p = amountDistribution(count, decoding, u)
      let m = p.enumerated().reduce(0) { $0 + $1.element * Double($1.offset) / Double(count - 1) }
      // The half's option also holds the density over its rounding width, 1/(count - 1).
      let cell = exp(u(0.5) / 0.1) / Double(count - 1) / total
      #expect(abs(p[(count - 1) / 2] - half - cell) < 2e-4, "\(count) points: P(half) \(p[(count - 1) / 2]) vs \(half)")
      #expect(abs(m - mean) < 2e-3, "\(count) points: mean \(m) vs \(mean)")
    }
    // The mean is the same on the coarse grids of experiments (steps of 1%, 5%, 10%) up to rounding.
    for count in [11, 21, 101] {
      let p = amountDistribution(count, decoding, u)
      let m = p.enumerated().reduce(0) { $0 + $1.element * Double($1.offset) / Double(count - 1) }
      #expect(abs(m - mean) < 0.01, "\(count) points: mean \(m) vs \(mean)")
    }
    // Equal weights per option (the old rule) spread the same temperature over more options: the half's share falls
    // with the grid.
    var decoder = ChoiceDecoder(capacity: 1001)
    let shares = [101, 1001].map { count -> Double in
      let utilities = (0..<count).map { u(Double($0) / Double(count - 1)) }
      let p = utilities.withUnsafeBufferPointer {
        decoder.distribution(utilities: $0, salient: -1, parameters: decoding)
      }
      return p[(count - 1) / 2]
    }
    #expect(shares[0] > 5 * shares[1])
  }

  @Test("top-p keeps the smallest most-likely prefix whose mass reaches p")
  func topP() {
    let utilities = [0.3, 0.5, 0.15, 0.05].map { log($0) }
    let kept = distribution(utilities, DecodingParameters(temperature: 1, topP: 0.8))
    #expect(abs(kept[1] - 0.5 / 0.8) < 1e-12 && abs(kept[0] - 0.3 / 0.8) < 1e-12 && kept[2] == 0 && kept[3] == 0)
    let more = distribution(utilities, DecodingParameters(temperature: 1, topP: 0.81))
    #expect(more[2] > 0 && more[3] == 0)
    let one = distribution(utilities, DecodingParameters(temperature: 1, topP: 0.1))
    #expect(one == [0, 1, 0, 0])
    let counts = frequencies(utilities, DecodingParameters(temperature: 1, topP: 0.8), draws: 20_000)
    #expect(counts[2] == 0 && counts[3] == 0)
  }

  @Test("top-p ranking only the options above its floor gives the distribution of ranking every option")
  func topPFloor() {
    // The reference: rank all options (descending, ties in prompt order), keep the shortest prefix reaching
    // top_p of the mass, renormalise. Utilities on a coarse grid make ties common.
    let stream = RandomStream(seed: 17)
    for trial in 0..<2000 {
      let n = 2 + stream.integer(below: 30)
      let utilities = (0..<n).map { _ in Double(stream.integer(below: 8)) / 4 }
      let topP = [0.5, 0.9, 0.95, 0.999][trial % 4]
      let temperature = [0.05, 0.3, 1, 4][(trial / 4) % 4]
      let full = distribution(utilities, salient: n / 2, DecodingParameters(temperature: temperature, salienceBias: 1))
      let order = full.indices.sorted { full[$0] > full[$1] || (full[$0] == full[$1] && $0 < $1) }
      let target = topP * full.reduce(0, +) * (1 - 1e-12)
      var (kept, keep) = (0.0, 0)
      while keep < n {
        kept += full[order[keep]]
        keep += 1
        if kept >= target { break }
      }
      var expected = [Double](repeating: 0, count: n)
      for r in 0..<keep { expected[order[r]] = full[order[r]] / kept }
      let truncated = distribution(
        utilities, salient: n / 2, DecodingParameters(temperature: temperature, topP: topP, salienceBias: 1))
      #expect(truncated == expected, "n \(n), top_p \(topP), temperature \(temperature)")
    }
  }

  @Test("the decoder's exponential is within 2 ulp of libm's on [-708, 709], and its 4-wide path has the portable bits")
  func exponential() {
    let stream = RandomStream(seed: 5)
    var worst = 0.0
    var xs = (0..<200_000).map { _ in -708 * stream.uniform() } + (0..<20_000).map { _ in 709 * stream.uniform() }
    xs += [0, -0.0, 1e-300, -1e-300, -708, 709, -0.5 * log(2.0), 0.5 * log(2.0), -1, 1]
    for x in xs {
      let (mine, libm) = (agora_exp(x), exp(x))
      worst = max(worst, abs(mine - libm) / libm.ulp)
    }
    #expect(worst <= 2, "worst error \(worst) ulp")
    #expect(agora_exp(0) == 1 && agora_exp(-709) == 0 && agora_exp(710) == .infinity && agora_exp(.nan).isNaN)
    // Every count (the 4-wide loop and its masked tail) against the portable path, bit for bit, NaN and
    // out-of-range values included.
    for count in 0..<24 {
      var values = (0..<count).map { _ in -800 + 820 * stream.uniform() }
      if count > 5 { values[3] = .nan }
      if count > 6 { values[5] = -.infinity }
      let shift = stream.uniform() * 3
      var fast = values
      var portable = values
      agora_exp_shifted(&fast, count, shift)
      agora_exp_shifted_portable(&portable, count, shift)
      #expect(fast.map(\.bitPattern) == portable.map(\.bitPattern), "count \(count)")
    }
    #if arch(x86_64) && os(Linux)
      // The dispatch agrees with what the kernel says the processor has.
      let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
      let line = flags.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
      let words = Set(line.split(separator: " ").map(String.init))
      #expect((agora_exp_is_vectorized() == 1) == (words.contains("avx2") && words.contains("fma")))
    #endif
  }

  @Test("the hot loops' pick from unnormalised weights is the normalised distribution's inverse CDF")
  func pickFromWeights() {
    // For random utilities (ties common) and decodings, every uniform on a grid picks the option that the
    // truncated, normalised distribution's inverse CDF gives, except within rounding of a boundary.
    let stream = RandomStream(seed: 23)
    var compared = 0
    for trial in 0..<600 {
      // Up to 64 options the nucleus is a bit mask; beyond, a sorted list: both are checked.
      let n = trial % 10 == 9 ? 60 + stream.integer(below: 40) : 1 + stream.integer(below: 25)
      let utilities = (0..<n).map { _ in Double(stream.integer(below: 8)) / 4 }
      let p = DecodingParameters(
        temperature: [0.05, 0.3, 1, 4][trial % 4], topP: [1, 0.5, 0.9, 0.95][(trial / 4) % 4],
        positionBias: 0.3, salienceBias: 1)
      let reference = distribution(utilities, salient: n / 2, p)
      var w = [Double](repeating: 0, count: n)
      var order = [Int](repeating: 0, count: n)
      let total = utilities.withUnsafeBufferPointer {
        ChoiceDecoder.weights(utilities: $0, salient: n / 2, parameters: p, into: &w, logWeights: nil)
      }
      for g in 0..<199 {
        let u = (Double(g) + 0.5) / 199
        var cumulative = 0.0
        var nearBoundary = false
        for q in reference {
          cumulative += q
          if abs(cumulative - u) < 1e-9 { nearBoundary = true }
        }
        guard !nearBoundary else { continue }
        let expected = reference.withUnsafeBufferPointer { ChoiceDecoder.sample($0, uniform: u) }
        let picked = ChoiceDecoder.pick(&w, count: n, total: total, topP: p.topP, order: &order, uniform: u)
        #expect(picked == expected, "n \(n), \(p), u \(u)")
        compared += 1
      }
    }
    #expect(compared > 100_000)
  }

  @Test("top-k keeps the k most likely options, renormalised")
  func topK() {
    let utilities = [0.3, 0.5, 0.15, 0.05].map { log($0) }
    let kept = distribution(utilities, DecodingParameters(temperature: 1, topK: 2))
    #expect(abs(kept[0] - 0.375) < 1e-12 && abs(kept[1] - 0.625) < 1e-12 && kept[2] == 0 && kept[3] == 0)
  }

  @Test("mode collapse 1 always gives the mode; 0.5 puts half the mass on it")
  func modeCollapse() {
    let utilities = [0.2, 0.1, 0.4, 0.3]
    let counts = frequencies(utilities, DecodingParameters(temperature: 5, modeCollapse: 1), draws: 10_000)
    #expect(counts == [0, 0, 10_000, 0])
    let half = distribution(utilities, DecodingParameters(temperature: 1, modeCollapse: 0.5))
    let soft = distribution(utilities, DecodingParameters(temperature: 1))
    #expect(abs(half[2] - (0.5 * soft[2] + 0.5)) < 1e-12 && abs(half[0] - 0.5 * soft[0]) < 1e-12)
  }

  @Test("in-context beliefs use monotone evidence and a Beta prior")
  func beliefs() {
    let memory = Memory(count: 2) { _ in 3 }
    memory.record(agent: 0, option: 2, accepted: true)
    memory.record(agent: 0, option: 1, accepted: false)
    memory.record(agent: 0, option: 3, accepted: true)
    memory.record(agent: 0, option: 1, accepted: false)  // the window holds 3: the first record falls out
    #expect(memory.observations(of: 0) == 3)
    #expect(memory.observations(of: 1) == 0)
    let prior = [0.0, 1, 1, 1, 1]
    let table = memory.reciprocals(priorWeight: 2)
    var out = [Double](repeating: 0, count: 5)
    prior.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer {
        memory.acceptanceBeliefs(agent: 0, prior: p, priorWeight: 2, reciprocals: table, into: $0)
      }
    }
    // Window: reject@1, accept@3, reject@1. Option 0 and 1: two rejections; 2: none; 3, 4: one acceptance.
    #expect(out == [0 / 4.0, 2 / 4.0, 1, 1, 1])
    prior.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer {
        memory.acceptanceBeliefs(agent: 1, prior: p, priorWeight: 2, reciprocals: table, into: $0)
      }
    }
    #expect(out == prior)
  }

  @Test("Fehr-Schmidt utility and the CRRA transform")
  func utility() {
    let m = Motives(envy: 2, guilt: 0.5)
    #expect(abs(m.utility(own: 0.3, other: 0.7) - (0.3 - 2 * 0.4)) < 1e-12)
    #expect(abs(m.utility(own: 0.7, other: 0.3) - (0.7 - 0.5 * 0.4)) < 1e-12)
    let risk = Motives(riskAversion: 1)
    #expect(abs(risk.money(1) - log(2)) < 1e-12)
    #expect(abs(Motives(riskAversion: 2).money(1) - 0.5) < 1e-12)
  }

  @Test("segments get their exact apportioned sizes and their own distributions")
  func population() throws {
    #expect(Population.apportion(total: 10, shares: [0.6, 0.4]) == [6, 4])
    #expect(Population.apportion(total: 10, shares: [1 / 3.0, 1 / 3.0, 1 / 3.0]) == [4, 3, 3])
    #expect(Population.apportion(total: 7, shares: [0.5, 0.5]).reduce(0, +) == 7)
    let spec = try ScenarioLoader.load(
      yaml: """
        game: {type: ultimatum}
        population:
          size: 20000
          segments:
            - {name: a, share: 0.25, preferences: {envy: {dist: uniform, min: 1, max: 2}}}
            - name: b
              share: 0.75
              preferences:
                guilt: 0.3
                joint: [{dist: dirichlet, dims: [altruism, honesty], alpha: [1, 3]}]
        """)
    let population = Population(spec: spec.population, seeds: SeedSequence(master: 1))
    #expect(population.ranges == [0..<5000, 5000..<20000])
    let envy = population[.envy]
    #expect(envy[0..<5000].allSatisfy { $0 >= 1 && $0 <= 2 } && envy[5000...].allSatisfy { $0 == 0 })
    #expect(population[.guilt][5000...].allSatisfy { $0 == 0.3 })
    #expect(population[.selfWeight].allSatisfy { $0 == 1 })
    let altruism = population[.altruism]
    let honesty = population[.honesty]
    #expect((5000..<20000).allSatisfy { abs(altruism[$0] + honesty[$0] - 1) < 1e-12 })
    #expect((0..<20000).allSatisfy { population.value(.envy, of: $0) == envy[$0] })
    let again = Population(spec: spec.population, seeds: SeedSequence(master: 1))
    #expect(again.values == population.values)
  }
}
