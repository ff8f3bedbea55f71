import Foundation

/// Reading whole files with errors that name the path and the plain reason (`no such file`, `is a directory`,
/// `permission denied`) rather than Foundation's "The operation could not be completed" texts.
public enum FileReading {
  /// The bytes of the file at `path`.
  public static func data(atPath path: String) throws(OutputError) -> Data {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .cannotRead(path: path, reason: reason(errno)) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw .cannotRead(path: path, reason: reason(errno)) }
    guard status.st_mode & S_IFMT != S_IFDIR else { throw .cannotRead(path: path, reason: reason(EISDIR)) }
    var data = Data()
    if status.st_mode & S_IFMT == S_IFREG { data.reserveCapacity(Int(status.st_size)) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw .cannotRead(path: path, reason: reason(errno))
      }
      if count == 0 { return data }
      data.append(contentsOf: chunk[..<count])
    }
  }

  /// The UTF-8 text of the file at `path` (a leading byte order mark is kept; invalid UTF-8 is an error).
  public static func text(atPath path: String) throws(OutputError) -> String {
    let data = try data(atPath: path)
    guard let text = String(data: data, encoding: .utf8) else {
      throw .cannotRead(path: path, reason: "not UTF-8 text")
    }
    return text
  }

  /// `code` in plain words: the common cases in Agora's wording, the rest as the C library puts them.
  package static func reason(_ code: Int32) -> String {
    switch code {
    case ENOENT: return "no such file"
    case EISDIR: return "is a directory"
    case EACCES, EPERM: return "permission denied"
    case ENOTDIR: return "a part of the path is not a directory"
    default: return String(cString: strerror(code)).lowercased()
    }
  }
}
