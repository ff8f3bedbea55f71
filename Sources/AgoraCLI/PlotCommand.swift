import Agora
import ArgumentParser
import Foundation

/// `agora plot`: an SVG (and a PNG where a converter is installed) of a result CSV.
struct PlotCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plot",
    abstract: "Plot columns of a result CSV as SVG (means with 95% CIs across runs, or time series).",
    discussion: """
      agora plot Results/sweep1/summary.csv --x temperature --y efficiency --by stake
      agora plot Results/ultimatum-pluralistic/seed-42/steps.csv --x step --y mean_offer,acceptance_rate
      Also writes a PNG with rsvg-convert or chromium when one is installed, and says which.
      """)

  @Argument(help: "A CSV file.")
  var file: String

  @Option(help: "The x column.")
  var x: String

  @Option(help: "Comma-separated y columns.")
  var y: String

  @Option(help: "A column whose values make separate series.")
  var by: String?

  @Option(help: "The chart's title.")
  var title: String?

  @Option(help: "The SVG file (default: next to FILE, plot-<y>-by-<x>.svg).")
  var out: String?

  @Flag(help: "Do not write a PNG.")
  var noPng = false

  func run() throws {
    let ys = AnalyzeCommand.list(y)
    // Only the plotted columns are kept (a wide file's other cells are checked but not held).
    let table = try fail(exit: 2) { try CSVTable(contentsOf: file, keeping: [x] + ys + (by.map { [$0] } ?? [])) }
    let chart = try fail(exit: 2) { try Plot.chart(table, x: x, y: ys, by: by, title: title) }
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
    let path = out ?? "\(folder)/plot-\(ys.joined(separator: "-"))-by-\(x).svg"
    try fail(exit: 1) { try writeAtomically(Data(chart.svg().utf8), to: path) }
    print("wrote \(path)")
    guard !noPng else { return }
    let png = (path.hasSuffix(".svg") ? String(path.dropLast(4)) : path) + ".png"
    switch PNG.convert(svg: path, to: png, width: Int(chart.width), height: Int(chart.height)) {
    case .some(let tool): print("wrote \(png) (with \(tool))")
    case .none: print("no PNG: neither rsvg-convert nor chromium is installed (apt-get install librsvg2-bin)")
    }
  }
}

/// Converting SVG or HTML to PNG with a tool that may be installed.
enum PNG {
  /// Converts `svg` to `png`; returns the tool used, or `nil` if none is installed or it failed.
  static func convert(svg: String, to png: String, width: Int, height: Int) -> String? {
    if SlurmJob.available("rsvg-convert"),
      run(["rsvg-convert", "-w", String(width), "-h", String(height), "-o", png, svg]),
      FileManager.default.fileExists(atPath: png)
    {
      return "rsvg-convert"
    }
    for browser in ["chromium", "chromium-browser", "google-chrome"] where SlurmJob.available(browser) {
      let url = URL(fileURLWithPath: svg).standardized.absoluteString
      if run(
        [
          browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=\(png)",
          "--window-size=\(width),\(height)", url,
        ]), FileManager.default.fileExists(atPath: png)
      {
        return browser
      }
    }
    return nil
  }

  static func run(_ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }
}
