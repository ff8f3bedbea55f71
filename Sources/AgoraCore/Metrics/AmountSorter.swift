import Dispatch

/// Sorts finite non-negative amounts (payoffs) for the Gini coefficient and the reports: an LSD radix sort on their
/// IEEE 754 bit patterns (which order non-negative doubles as unsigned integers), on one or two threads, in arrays
/// kept between sorts. The pointer work and the threads stay inside ``sort(_:threads:)``; callers read ``keys``.
package struct AmountSorter {
  /// The sorted bit patterns after ``sort(_:threads:)`` (the first `n`).
  package private(set) var keys: [UInt64] = []
  var scratch: [UInt64] = []
  var counts: [Int32] = []

  package init() {}

  /// `x` sorted ascending, for finite non-negative amounts: the radix sort, or the comparison sort below 4096
  /// values.
  package static func sorted(_ x: [Double]) -> [Double] {
    guard usesRadix(x.count) else { return x.sorted() }
    var sorter = AmountSorter()
    x.withUnsafeBufferPointer { sorter.sort($0, threads: 1) }
    return sorter.keys[0..<x.count].map { Double(bitPattern: $0) }
  }

  /// Whether `n` amounts are sorted by ``sort(_:threads:)`` (its counts are 32-bit) rather than by comparisons
  /// (faster below 4096).
  package static func usesRadix(_ n: Int) -> Bool { n >= 4096 && n < Int(Int32.max) }

  /// Sorts the bit patterns of finite non-negative `x` (fewer than 2^31) ascending into `keys[0..<n]`, so the
  /// doubles they encode are sorted.
  ///
  /// A least-significant-digit radix sort over the bits that differ between keys (amounts on a grid share their
  /// low bits, amounts of one magnitude their high bits), in digits of at most 12 bits, whose counts and write
  /// positions stay in cache. With two threads each counts and then moves its half of the keys, the first half's
  /// keys of a digit ahead of the second's: the order of a stable sort, so the result does not depend on the threads.
  package mutating func sort(_ x: UnsafeBufferPointer<Double>, threads: Int) {
    let n = x.count
    let maxRadix = 1 << 12
    if keys.count < n {
      keys = [UInt64](repeating: 0, count: n)
      scratch = keys
    }
    if counts.count < threads * maxRadix { counts = [Int32](repeating: 0, count: threads * maxRadix) }
    var (all, any) = (UInt64.max, UInt64(0))
    keys.withUnsafeMutableBufferPointer { keys in
      for i in 0..<n {
        let key = x[i].bitPattern
        keys[i] = key
        all &= key
        any |= key
      }
    }
    let differing = all ^ any
    guard differing != 0 else { return }
    let low = differing.trailingZeroBitCount
    let span = UInt64.bitWidth - differing.leadingZeroBitCount - low
    let passes = (span + 11) / 12
    let width = (span + passes - 1) / passes
    let radix = 1 << width
    let mask = UInt64(radix - 1)
    for pass in 0..<passes {
      let shift = UInt64(low + pass * width)
      keys.withUnsafeBufferPointer { fromBuffer in
        scratch.withUnsafeMutableBufferPointer { toBuffer in
          counts.withUnsafeMutableBufferPointer { countsBuffer in
            nonisolated(unsafe) let (from, to, counts) = (fromBuffer, toBuffer, countsBuffer)
            let part: @Sendable (Int) -> Range<Int> = { t in (n * t / threads)..<(n * (t + 1) / threads) }
            let count: @Sendable (Int) -> Void = { t in
              let c = counts.baseAddress! + t * radix
              for d in 0..<radix { c[d] = 0 }
              for i in part(t) { c[Int((from[i] >> shift) & mask)] += 1 }
            }
            let move: @Sendable (Int) -> Void = { t in
              let c = counts.baseAddress! + t * radix
              for i in part(t) {
                let key = from[i]
                let digit = Int((key >> shift) & mask)
                to[Int(c[digit])] = key
                c[digit] += 1
              }
            }
            if threads == 1 { count(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: count) }
            var total: Int32 = 0
            for d in 0..<radix {
              for t in 0..<threads {
                let c = counts[t * radix + d]
                counts[t * radix + d] = total
                total += c
              }
            }
            if threads == 1 { move(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: move) }
          }
        }
      }
      swap(&keys, &scratch)
    }
  }
}
