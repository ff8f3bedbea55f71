import CGSL

/// One seeded GSL random stream, owned by exactly one consumer (a population sampler, a block of agents, ...).
///
/// The stream owns its `gsl_rng` and frees it on deinit. It is deliberately not `Sendable`: each task
/// derives its own stream from a ``SeedSequence`` instead of sharing one.
public final class RandomStream {
  package let rng: UnsafeMutablePointer<gsl_rng>
  /// The generator algorithm.
  public let generator: RandomGenerator

  /// A stream of `generator` whose whole state is filled from the 64-bit `seed`.
  ///
  /// For `taus2` and `mt19937` every word of the state is derived from `seed` with SplitMix64, so distinct
  /// 64-bit seeds give distinct streams; other generators are seeded with a 32-bit fold of `seed` via `gsl_rng_set`.
  public init(generator: RandomGenerator = .taus2, seed: UInt64) {
    GSL.configureOnce()
    let type = RandomGenerator.gslType(named: generator.name)!
    rng = gsl_rng_alloc(type)!
    self.generator = generator
    var state = seed
    func next() -> UInt64 {
      state = state &+ 0x9E37_79B9_7F4A_7C15
      return SeedSequence.mix(state &- 0x9E37_79B9_7F4A_7C15)
    }
    switch generator.name {
    case "taus2":
      let s = gsl_rng_state(rng)!.assumingMemoryBound(to: agora_taus_state.self)
      s.pointee.s1 = UInt(next() & 0xFFFF_FFFF) | 2
      s.pointee.s2 = UInt(next() & 0xFFFF_FFFF) | 8
      s.pointee.s3 = UInt(next() & 0xFFFF_FFFF) | 16
      for _ in 0..<6 { _ = gsl_rng_get(rng) }
    case "mt19937":
      let s = gsl_rng_state(rng)!.assumingMemoryBound(to: agora_mt_state.self)
      withUnsafeMutableBytes(of: &s.pointee.mt) { raw in
        let words = raw.bindMemory(to: UInt.self)
        for i in words.indices { words[i] = UInt(next() & 0xFFFF_FFFF) }
        words[0] |= 0x8000_0000
      }
      s.pointee.mti = 624
    default:
      gsl_rng_set(rng, UInt((seed ^ (seed >> 32)) & 0xFFFF_FFFF))
    }
  }

  deinit { gsl_rng_free(rng) }

  /// A new stream in the same state as this one (`gsl_rng_clone`).
  public func copy() -> RandomStream { RandomStream(cloning: self) }

  /// Puts this stream back into the state of `other`, a stream of the same generator (`gsl_rng_memcpy`).
  public func restore(_ other: RandomStream) { gsl_rng_memcpy(rng, other.rng) }

  private init(cloning other: RandomStream) {
    rng = gsl_rng_clone(other.rng)!
    generator = other.generator
  }

  /// A uniform double in [0, 1).
  public func uniform() -> Double { gsl_rng_uniform(rng) }

  /// A uniform double in (0, 1).
  public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

  /// A uniform integer in 0..<bound (bound > 0).
  public func integer(below bound: Int) -> Int { Int(gsl_rng_uniform_int(rng, UInt(bound))) }

  /// A standard normal draw (ziggurat).
  public func gaussian(sd: Double = 1) -> Double { gsl_ran_gaussian_ziggurat(rng, sd) }

  /// An exponential draw with the given mean.
  public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }

  /// Shuffles `array` in place with GSL's Fisher–Yates shuffle (`gsl_ran_shuffle`).
  public func shuffle<T>(_ array: inout [T]) {
    let count = array.count
    guard count > 1 else { return }
    array.withUnsafeMutableBytes { raw in
      gsl_ran_shuffle(rng, raw.baseAddress, count, MemoryLayout<T>.stride)
    }
  }

  /// ``shuffle(_:)`` of agent ids: for `taus2` (the default) GSL's loop inline on a copy of the state, the same
  /// draws and swaps (a round's pairing shuffles every agent); for any other generator GSL's call.
  public func shuffle(_ array: inout [Int32]) {
    let count = array.count
    guard count > 1 else { return }
    guard generator == .taus2, let raw = gsl_rng_state(rng) else {
      array.withUnsafeMutableBytes { raw in
        gsl_ran_shuffle(rng, raw.baseAddress, count, MemoryLayout<Int32>.stride)
      }
      return
    }
    let state = raw.assumingMemoryBound(to: agora_taus_state.self)
    var s = (state.pointee.s1, state.pointee.s2, state.pointee.s3)
    array.withUnsafeMutableBufferPointer { a in
      // gsl_ran_shuffle: for i from n - 1 down to 1, swap a[i] with a[gsl_rng_uniform_int(r, i + 1)], which
      // divides a draw by 2^32 - 1 over the bound (rounded down) and draws again while the quotient is too big.
      // The integer quotients are taken in doubles, which is exact here: numerator and divisor are below 2^32, so
      // the rounding error of the quotient (at most 2^-21 / divisor) is less than its distance to the next
      // integer (at least 1 / divisor).
      var i = count - 1
      while i > 0 {
        let bound = UInt(i + 1)
        let scale = Double(UInt(Double(0xFFFF_FFFF as UInt) / Double(bound)))
        var k: UInt
        repeat { k = UInt(Double(Self.taus2(&s)) / scale) } while k >= bound
        a.swapAt(i, Int(k))
        i -= 1
      }
    }
    (state.pointee.s1, state.pointee.s2, state.pointee.s3) = s
  }

  /// One step of GSL's `taus2` generator on its state `(s1, s2, s3)`: `taus_get`, a 32-bit value.
  @inlinable @inline(__always)
  public static func taus2(_ state: inout (UInt, UInt, UInt)) -> UInt {
    let (s1, s2, s3) = state
    let mask: UInt = 0xFFFF_FFFF
    state = (
      (((s1 & 4_294_967_294) << 12) & mask) ^ ((((s1 << 13) & mask) ^ s1) >> 19),
      (((s2 & 4_294_967_288) << 4) & mask) ^ ((((s2 << 2) & mask) ^ s2) >> 25),
      (((s3 & 4_294_967_280) << 17) & mask) ^ ((((s3 << 3) & mask) ^ s3) >> 11)
    )
    return state.0 ^ state.1 ^ state.2
  }
}

/// Process-wide GSL set-up: turns off GSL's aborting error handler, so status codes become Swift errors.
enum GSL {
  private static let configured: Bool = {
    gsl_set_error_handler_off()
    return true
  }()

  static func configureOnce() { _ = configured }
}
