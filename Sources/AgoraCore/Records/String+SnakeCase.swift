extension String {
  /// The name as a CSV column fragment: lower case, each run of other characters one underscore
  /// (`fair-minded` -> `fair_minded`); `segment` if nothing is left.
  public var snakeCased: String {
    var out = ""
    for ch in lowercased() {
      if ch.isLetter || ch.isNumber {
        out.append(ch)
      } else if !out.isEmpty && !out.hasSuffix("_") {
        out.append("_")
      }
    }
    while out.hasSuffix("_") { out.removeLast() }
    return out.isEmpty ? "segment" : out
  }
}
