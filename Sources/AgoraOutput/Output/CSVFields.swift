import Foundation

/// One CSV record's kept fields as bytes, handed to a row handler by ``CSVScanner`` and ``CSVStream/rows``: the
/// scoped handle on the scanner's buffers, valid only during the call (keep a field's ``string(_:)``, not the
/// handle). A number is read from the bytes without making a string when it is written plainly.
public struct CSVFields {
  /// The piece being scanned, where unquoted fields lie.
  let piece: UnsafeRawPointer?
  /// Start and end offsets of each field: into `piece`, or complemented (negative) into `unquoted`.
  let spans: UnsafeBufferPointer<Int>
  /// The text of the record's quoted fields, quotes undone.
  let unquoted: UnsafeRawBufferPointer

  /// How many fields the row hands on.
  public var count: Int { spans.count / 2 }

  /// The bytes of field `k`.
  public subscript(k: Int) -> UnsafeRawBufferPointer {
    assert(k >= 0 && k < count, "field \(k) of \(count)")
    let start = spans[2 * k]
    let end = spans[2 * k + 1]
    if start >= 0 { return UnsafeRawBufferPointer(start: piece.map { $0 + start }, count: end - start) }
    return UnsafeRawBufferPointer(rebasing: unquoted[(~start)..<(~end)])
  }

  /// Field `k` as text.
  public func string(_ k: Int) -> String { String(decoding: self[k], as: UTF8.self) }

  /// Every field as text.
  public var strings: [String] { (0..<count).map(string) }

  /// Whether field `k` is empty.
  public func isEmpty(_ k: Int) -> Bool { spans[2 * k] == spans[2 * k + 1] }

  /// Whether field `k` holds exactly `bytes`.
  public func holds(_ k: Int, _ bytes: [UInt8]) -> Bool {
    let field = self[k]
    guard field.count == bytes.count else { return false }
    return bytes.withUnsafeBytes { b in field.count == 0 || memcmp(field.baseAddress!, b.baseAddress!, field.count) == 0
    }
  }

  /// The finite number field `k` holds, as ``CSVTable/finiteNumber(_:)`` reads it.
  public func finiteNumber(_ k: Int) -> Double? {
    CSVFields.plainDecimal(self[k]) ?? CSVTable.finiteNumber(string(k))
  }

  /// The number field `k` holds (spaces around it allowed), infinite and NaN too.
  public func number(_ k: Int) -> Double? {
    CSVFields.plainDecimal(self[k]) ?? Double(string(k).trimmingCharacters(in: .whitespaces))
  }

  /// Exact powers of ten as doubles (10^22 is the largest a double holds exactly).
  private static let powers: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
    1e20, 1e21, 1e22,
  ]

  /// A number written plainly (`-`, digits, a point between digits, an exponent) read as `strtod` reads it, or
  /// `nil` for anything else (the caller's general parse decides). When the digits make an integer below 2^53 and
  /// the power of ten is within 10^±22, both are exact doubles and one IEEE multiplication or division rounds
  /// correctly (Clinger's fast path), so the value is the correctly rounded one `strtod` gives.
  static func plainDecimal(_ bytes: UnsafeRawBufferPointer) -> Double? {
    let n = bytes.count
    guard n > 0, n <= 40 else { return nil }
    var i = 0
    let negative = bytes[0] == 45
    if negative { i = 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var scale = 0
    // Whole digits, at least one. (The fraction's loop below is the same; one local function for both measured 5%
    // slower on `agora metrics` of 28 million rows, so the two stay written out.)
    let wholeStart = i
    while i < n, bytes[i] &- 48 < 10 {
      mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48)
      digits += 1
      i += 1
    }
    guard i > wholeStart else { return nil }
    if i < n && bytes[i] == 46 {
      i += 1
      let fractionStart = i
      while i < n, bytes[i] &- 48 < 10 {
        mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48)
        digits += 1
        i += 1
      }
      guard i > fractionStart else { return nil }
      scale = fractionStart - i
    }
    if i < n && (bytes[i] == 101 || bytes[i] == 69) {
      i += 1
      var sign = 1
      if i < n && (bytes[i] == 45 || bytes[i] == 43) {
        sign = bytes[i] == 45 ? -1 : 1
        i += 1
      }
      let exponentStart = i
      var exponent = 0
      while i < n, bytes[i] &- 48 < 10, i - exponentStart < 4 {
        exponent = exponent * 10 + Int(bytes[i] &- 48)
        i += 1
      }
      guard i > exponentStart else { return nil }
      scale += sign * exponent
    }
    // Nothing else may follow; 19 digits cannot overflow the integer, and only below 2^53 is it exact.
    guard i == n, digits <= 19, mantissa <= 1 << 53, scale >= -22, scale <= 22 else { return nil }
    let whole = Double(mantissa)
    let value = scale >= 0 ? whole * powers[scale] : whole / powers[-scale]
    guard value.isFinite else { return nil }
    return negative ? -value : value
  }
}
