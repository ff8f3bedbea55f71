import AgoraCore
import Foundation

/// The data dictionary written beside every CSV, as W3C CSV on the Web metadata (`<file>.csv-metadata.json`, the
/// name the CSVW standard looks for): each column's name, datatype (`integer`, `double`, `string`), unit
/// (`schema:unitText`), meaning (`dc:description`) and the model that declares it (`dc:source`; `agora` for the
/// columns every model writes). It comes from the models' declared columns, never from the data, so that a reader
/// can type a column that is empty in one run the same way as in the next.
public enum DataDictionary {
  /// The dictionary's file name for the CSV file `name`.
  public static func fileName(for name: String) -> String { name + "-metadata.json" }

  /// The dictionary of the CSV file `name` with `columns`, which `description` describes.
  public static func json(for name: String, columns: [Column], description: String) -> Data {
    let table = Table(
      url: name, description: description,
      tableSchema: Schema(
        columns: columns.map {
          ColumnEntry(
            name: $0.name, titles: $0.name, datatype: $0.type.rawValue, description: $0.description,
            unit: $0.unit.isEmpty ? nil : $0.unit, source: $0.model ?? "agora")
        }))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // The values are plain strings and arrays; encoding cannot fail.
    return (try? encoder.encode(table)) ?? Data()
  }

  /// Writes the dictionary of `directory/name` atomically; returns its file name.
  @discardableResult
  public static func write(
    for name: String, in directory: String, columns: [Column], description: String
  ) throws(OutputError) -> String {
    let file = fileName(for: name)
    try writeAtomically(json(for: name, columns: columns, description: description), to: "\(directory)/\(file)")
    return file
  }

  struct Table: Encodable {
    let context: [ContextEntry] = [.vocabulary, .language]
    let url: String
    let description: String
    let dialect = Dialect()
    let tableSchema: Schema

    enum CodingKeys: String, CodingKey {
      case context = "@context", url, description = "dc:description", dialect, tableSchema
    }
  }

  /// The `@context`: the CSVW vocabulary and the language of the descriptions.
  enum ContextEntry: Encodable {
    case vocabulary, language

    func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .vocabulary: try container.encode("http://www.w3.org/ns/csvw")
      case .language: try container.encode(["@language": "en"])
      }
    }
  }

  /// How the files are written: a header row, commas, UTF-8, an empty cell for an undefined value.
  struct Dialect: Encodable {
    let header = true
    let delimiter = ","
    let encoding = "utf-8"
  }

  struct Schema: Encodable {
    let columns: [ColumnEntry]
  }

  struct ColumnEntry: Encodable {
    let name: String
    let titles: String
    let datatype: String
    let null = ""
    let description: String
    let unit: String?
    let source: String

    enum CodingKeys: String, CodingKey {
      case name, titles, datatype, null, description = "dc:description", unit = "schema:unitText",
        source = "dc:source"
    }
  }
}
