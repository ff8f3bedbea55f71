/// A chart a model declares to tell its story at the top of `report.html`: some of its declared step columns drawn
/// over the steps (the commons' living villages and total stock per month, the dark forest's survivors by world
/// view). The report draws what the run wrote; a column the run lacks is left out.
public struct StoryChart: Sendable, Hashable {
  /// The chart's title.
  public var title: String
  /// Columns of `steps.csv`, drawn against `step` as one series each; a name ending in `*` stands for every column
  /// it begins (`alive_*`: one series per segment).
  public var columns: [String]
  /// A line saying what to look for.
  public var caption: String

  public init(_ title: String, columns: [String], caption: String) {
    self.title = title
    self.columns = columns
    self.caption = caption
  }
}
