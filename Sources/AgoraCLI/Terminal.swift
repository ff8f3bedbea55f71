import Agora
import Foundation

/// Writing to the terminal: errors and progress go to stderr; progress only when stderr is a terminal. Every text
/// goes out through `String.terminalSafe`, so names from a scenario or a CSV cannot send escape codes.
enum Terminal {
  static func error(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message.terminalSafe)\n".utf8))
  }

  static func note(_ message: String) {
    FileHandle.standardError.write(Data("\(message.terminalSafe)\n".utf8))
  }

  static var stderrIsTerminal: Bool { isatty(2) == 1 }

  /// A progress reporter that redraws one stderr line at most ten times a second; `nil` when stderr is not a TTY.
  static func progress(label: String) -> ((Double) -> Void)? {
    let label = label.terminalSafe.replacingOccurrences(of: "%", with: "%%")
    let start = Date()
    nonisolated(unsafe) var last = Date.distantPast
    guard stderrIsTerminal else { return logProgress(label: label, start: start) }
    return { fraction in
      let now = Date()
      guard fraction >= 1 || now.timeIntervalSince(last) >= 0.1 else { return }
      last = now
      let elapsed = now.timeIntervalSince(start)
      let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
      let line = String(format: "\r\(label) %5.1f%%  %.1fs elapsed, ~%.1fs left ", fraction * 100, elapsed, eta)
      FileHandle.standardError.write(Data(line.utf8))
      if fraction >= 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
  }

  /// Progress for a log file (stderr not a terminal): a whole line at most every 30 seconds of a run that has
  /// lasted 30 seconds, so a short run logs nothing and a long batch job's log shows how far it got.
  static func logProgress(label: String, start: Date) -> (Double) -> Void {
    nonisolated(unsafe) var last = start
    return { fraction in
      let now = Date()
      guard fraction < 1, now.timeIntervalSince(last) >= 30 else { return }
      last = now
      let elapsed = now.timeIntervalSince(start)
      let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
      let line = String(format: "\(label) %5.1f%%  %.0fs elapsed, ~%.0fs left\n", fraction * 100, elapsed, eta)
      FileHandle.standardError.write(Data(line.utf8))
    }
  }

  /// Formats rows as a left-aligned text table with a header; cells are made terminal-safe and one line each (a
  /// newline or tab in a cell becomes a space) before the columns are measured.
  static func table(_ header: [String], _ rows: [[String]]) -> String {
    func cell(_ text: String) -> String {
      text.terminalSafe.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
    }
    let header = header.map(cell)
    let rows = rows.map { $0.map(cell) }
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, c in
        i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
  }

  /// A number for humans: 4 significant digits, integers as integers.
  static func number(_ value: Double) -> String {
    if value.isNaN { return "-" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == value.rounded() && abs(value) < 1e12 { return String(Int(value)) }
    return String(format: "%.4g", value)
  }
}

extension Terminal {
  /// Sweep progress on stderr: runs done / total, runs per second and ETA; redrawn on a terminal, else one line
  /// every ten seconds (what a Slurm log shows).
  static func sweepProgress() -> @Sendable (SweepRunner.Progress) -> Void {
    let tty = stderrIsTerminal
    nonisolated(unsafe) var last = -1.0
    return { p in
      let final = p.done == p.total
      guard final || p.elapsed - last >= (tty ? 0.1 : 10) else { return }
      last = p.elapsed
      let rate = p.elapsed > 0 ? Double(p.ranNow) / p.elapsed : 0
      let eta = rate > 0 ? Double(p.total - p.done) / rate : 0
      let text = String(
        format: "sweep %d/%d runs (%.0f%%), %.1f runs/s, ETA %@", p.done, p.total,
        100 * Double(p.done) / Double(max(p.total, 1)), rate, duration(eta))
      if tty {
        FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
        if final { FileHandle.standardError.write(Data("\n".utf8)) }
      } else {
        note(text)
      }
    }
  }

  /// Seconds as `4s`, `3m05s` or `2h03m`.
  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
  }
}

extension String {
  /// The text without C0 and C1 control characters (ESC, CR, BEL, DEL, U+0080 to U+009F, ...), keeping newlines
  /// and tabs: what Agora prints of names and values that come from user files.
  var terminalSafe: String {
    guard unicodeScalars.contains(where: \.isUnsafeOnTerminal) else { return self }
    var scalars = String.UnicodeScalarView()
    scalars.append(contentsOf: unicodeScalars.lazy.filter { !$0.isUnsafeOnTerminal })
    return String(scalars)
  }
}

extension Unicode.Scalar {
  /// A C0 or C1 control character other than newline and tab.
  fileprivate var isUnsafeOnTerminal: Bool {
    (value < 0x20 && self != "\n" && self != "\t") || (0x7F...0x9F).contains(value)
  }
}

/// Standard output for the whole `agora` module: it shadows the standard library's `print` so that everything a
/// command prints (summaries, tables, names from scenario files) passes through `String.terminalSafe`.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
  Swift.print(items.map { "\($0)" }.joined(separator: separator).terminalSafe, terminator: terminator)
}
