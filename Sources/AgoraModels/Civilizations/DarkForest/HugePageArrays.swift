#if canImport(Glibc)
  import Glibc
#endif

/// Arrays of a million civilizations' state, in memory the kernel is asked to back with huge pages (Linux's
/// transparent huge pages, `madvise` mode, as Debian ships it): events read them at random, and with 4 KiB pages
/// nearly every read also missed the TLB. Elsewhere, or when the kernel declines, they are ordinary arrays.
enum HugePageArrays {
  /// Arrays smaller than this are left alone (a huge page is 2 MiB).
  static let threshold = 4 << 20

  /// An array of `count` elements, `element(k)` for each `k` in order.
  static func make<T>(count: Int, _ element: (Int) -> T) -> [T] {
    [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      advise(UnsafeMutableRawBufferPointer(buffer))
      for k in 0..<count { (buffer.baseAddress! + k).initialize(to: element(k)) }
      initialized = count
    }
  }

  /// An array of `count` copies of `value`.
  static func make<T>(repeating value: T, count: Int) -> [T] { make(count: count) { _ in value } }

  /// Asks for huge pages for the whole pages of `bytes` (before they are first written, so that the kernel can
  /// give them).
  private static func advise(_ bytes: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
      guard bytes.count >= threshold, let base = bytes.baseAddress else { return }
      let page = 4096
      let start = (Int(bitPattern: base) + page - 1) / page * page
      let end = (Int(bitPattern: base) + bytes.count) / page * page
      guard end > start else { return }
      _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
    #endif
  }
}
