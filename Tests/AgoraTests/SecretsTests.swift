import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A tiny HTTP/1.1 server on a loopback port for the tests: one request per connection, recorded, answered with what
/// `respond` returns, then closed. It stops when released, or by itself after `lifetime` seconds.
final class StubServer: Sendable {
  /// A request as received (header names in lower case).
  struct Request: Sendable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: Data
  }

  /// What the server sends back.
  struct Reply: Sendable {
    var status: Int
    var headers: [String: String] = [:]
    var body: String = ""

    /// A chat completion whose content is `content`.
    static func completion(_ content: String = #"{"choice": 1}"#) -> Reply {
      let message = try! JSONSerialization.data(withJSONObject: ["role": "assistant", "content": content])
      return Reply(
        status: 200, headers: ["Content-Type": "application/json"],
        body: #"{"choices": [{"message": \#(String(decoding: message, as: UTF8.self)), "finish_reason": "stop"}], "#
          + #""usage": {"prompt_tokens": 10, "completion_tokens": 3}}"#)
    }
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  let port: Int
  let core: Core

  init(lifetime: Double = 60, respond: @escaping @Sendable (Request) -> Reply) throws {
    #if canImport(Glibc)
      let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      let listener = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard listener >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, length) == 0 && listen(listener, 64) == 0 && getsockname(listener, $0, &length) == 0
      }
    }
    guard bound else {
      close(listener)
      throw Failure(description: "bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
    }
    port = Int(UInt16(bigEndian: address.sin_port))
    let core = Core(listener: listener, respond: respond)
    self.core = core
    let deadline = Date().addingTimeInterval(lifetime)
    Thread { core.serve(until: deadline) }.start()
  }

  deinit { core.stop() }

  var url: String { "http://127.0.0.1:\(port)" }

  /// The requests received so far, in order.
  var requests: [Request] { core.requests }

  /// The listening socket, what it received, and the loop that serves it on a thread of its own.
  final class Core: @unchecked Sendable {
    let listener: Int32
    let respond: @Sendable (Request) -> Reply
    let lock = NSLock()
    var received: [Request] = []
    var stopping = false
    let finished = DispatchSemaphore(value: 0)

    init(listener: Int32, respond: @escaping @Sendable (Request) -> Reply) {
      self.listener = listener
      self.respond = respond
    }

    var requests: [Request] { lock.withLock { received } }

    /// Asks the loop to stop and waits (briefly) until it has closed the socket.
    func stop() {
      lock.withLock { stopping = true }
      _ = finished.wait(timeout: .now() + 5)
    }

    func serve(until deadline: Date) {
      defer {
        close(listener)
        finished.signal()
      }
      while !lock.withLock({ stopping }) && Date() < deadline {
        var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, 100) > 0 else { continue }
        let client = accept(listener, nil, nil)
        guard client >= 0 else { continue }
        handle(client)
        close(client)
      }
    }

    /// Reads one request (head and `Content-Length` bytes of body, 1 MiB at most, 5 s per read), answers it.
    func handle(_ client: Int32) {
      var limit = timeval(tv_sec: 5, tv_usec: 0)
      setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
      var data = Data()
      var buffer = [UInt8](repeating: 0, count: 65536)
      var head: String? = nil
      var bodyStart = 0
      var needed = Int.max
      while data.count < needed && data.count < 1 << 20 {
        let count = read(client, &buffer, buffer.count)
        guard count > 0 else { break }
        data.append(contentsOf: buffer[0..<count])
        if head == nil, let end = data.range(of: Data("\r\n\r\n".utf8)) {
          let text = String(decoding: data[..<end.lowerBound], as: UTF8.self)
          head = text
          bodyStart = end.upperBound
          let length = text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
          needed = bodyStart + (length ?? 0)
          if text.lowercased().contains("expect: 100-continue") { send(client, "HTTP/1.1 100 Continue\r\n\r\n") }
        }
      }
      guard let head else { return }
      let lines = head.split(separator: "\r\n").map(String.init)
      let start = lines.first?.split(separator: " ").map(String.init) ?? []
      var headers: [String: String] = [:]
      for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
      let request = Request(
        method: start.first ?? "", path: start.count > 1 ? start[1] : "", headers: headers,
        body: data.count > bodyStart ? data[bodyStart...] : Data())
      lock.withLock { received.append(request) }
      let reply = respond(request)
      let body = Data(reply.body.utf8)
      var text = "HTTP/1.1 \(reply.status) Stub\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
      for (name, value) in reply.headers { text += "\(name): \(value)\r\n" }
      send(client, text + "\r\n", body)
    }

    func send(_ client: Int32, _ head: String, _ body: Data = Data()) {
      let bytes = [UInt8](Data(head.utf8) + body)
      var sent = 0
      while sent < bytes.count {
        #if os(Linux)
          let count = bytes[sent...].withUnsafeBytes {
            Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
          }
        #else
          let count = bytes[sent...].withUnsafeBytes { Darwin.send(client, $0.baseAddress, $0.count, 0) }
        #endif
        guard count > 0 else { return }
        sent += count
      }
    }
  }
}

@Suite("Secrets")
struct SecretsTests {
  /// The variable the tests keep their key in (an `_API_KEY` name, so the suffix rule lets it through).
  static let variable = "AGORA_SECRETS_TEST_API_KEY"

  /// A key of the usual shape, with the characters that JSON and URLs escape.
  static func newKey() -> String { "sk-test/" + UUID().uuidString + "+k=" }

  /// A client of the server at `url`, with `key` in its environment and no retries.
  static func client(_ url: String, key: String) throws -> ChatClient {
    var spec = LanguageModelSpec(baseURL: url, model: "test")
    spec.apiKeyEnv = variable
    spec.retries = 0
    spec.timeout = 10
    return try ChatClient(
      spec: spec, jitter: RandomStream(seed: 1), backoff: 0.01, environment: [variable: key])
  }

  /// The ultimatum scenario of the language-model tests, its model segment asking the server at `url`.
  static func scenario(url: String, folder: String, keyVariable: String = variable, size: Int = 20) -> String {
    LanguageModelTests.scenario(
      url: url, cache: folder + "/cache", extra: ", api_key_env: \(keyVariable)", size: size, rounds: 3)
  }

  /// Runs the `agora` executable with `environment` added to this process's.
  static func agora(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
    try TestSupport.run([TestSupport.agoraExecutable] + arguments, environment: environment)
  }

  /// Every file under `folder`, as text.
  static func texts(under folder: String) -> [String] {
    let names = FileManager.default.subpaths(atPath: folder) ?? []
    return names.map { String(decoding: TestSupport.bytes(folder + "/" + $0), as: UTF8.self) }
  }

  // MARK: Redirects

  @Test(
    "a redirect to another port is followed without the key (the other server answers the request)",
    .timeLimit(.minutes(4)), arguments: [301, 302, 303, 307, 308])
  func crossOriginRedirect(status: Int) throws {
    let key = Self.newKey()
    let other = try StubServer { _ in .completion() }
    let server = try StubServer { _ in
      StubServer.Reply(status: status, headers: ["Location": other.url + "/v1/chat/completions"])
    }
    let client = try Self.client(server.url, key: key)
    let (reply, _, _) = try client.complete(Data(#"{"model": "test"}"#.utf8))
    #expect(reply.content == #"{"choice": 1}"#, "the redirect was followed and its answer used")
    #expect(server.requests.count == 1)
    #expect(server.requests.first?.headers["authorization"] == "Bearer \(key)", "the configured server gets the key")
    #expect(other.requests.count == 1)
    for request in other.requests {
      #expect(request.headers["authorization"] == nil)
      #expect(!request.headers.values.contains { $0.contains(key) })
      #expect(!String(decoding: request.body, as: UTF8.self).contains(key))
    }
  }

  @Test(
    "a redirected request that the other server refuses stops with an error naming both URLs", .timeLimit(.minutes(4)))
  func refusedAfterRedirect() throws {
    let key = Self.newKey()
    let other = try StubServer { request in
      StubServer.Reply(status: 401, body: "no key in: \(request.headers.sorted { $0.key < $1.key })")
    }
    let server = try StubServer { _ in
      StubServer.Reply(status: 307, headers: ["Location": other.url + "/v1/chat/completions"])
    }
    do {
      _ = try Self.client(server.url, key: key).complete(Data(#"{"model": "test"}"#.utf8))
      Issue.record("a 401 was taken for a reply")
    } catch {
      let text = "\(error)"
      #expect(
        text.contains(
          "POST \(server.url)/v1/chat/completions (redirected to \(other.url)/v1/chat/completions) answered HTTP 401"),
        "\(text)")
      #expect(!text.contains(key))
    }
    #expect(other.requests.count == 1 && other.requests[0].headers["authorization"] == nil)
  }

  @Test("a redirect on the same origin keeps the key", .timeLimit(.minutes(4)))
  func sameOriginRedirect() throws {
    let key = Self.newKey()
    let server = try StubServer { request in
      request.path == "/v1/chat/completions"
        ? StubServer.Reply(status: 307, headers: ["Location": "/moved/v1/chat/completions"]) : .completion()
    }
    let (reply, _, _) = try Self.client(server.url, key: key).complete(Data(#"{"model": "test"}"#.utf8))
    #expect(reply.content == #"{"choice": 1}"#)
    #expect(server.requests.map(\.path) == ["/v1/chat/completions", "/moved/v1/chat/completions"])
    #expect(server.requests.map { $0.headers["authorization"] } == ["Bearer \(key)", "Bearer \(key)"])
  }

  @Test("an origin is scheme, host and port, with the scheme's default port")
  func origins() {
    func same(_ a: String, _ b: String) -> Bool { ChatClient.sameOrigin(URL(string: a), URL(string: b)) }
    #expect(same("http://127.0.0.1:8080/v1/chat/completions", "http://127.0.0.1:8080/moved"))
    #expect(same("http://Example.ORG/v1", "HTTP://example.org:80/x"))
    #expect(same("https://example.org/v1", "https://example.org:443/v1"))
    #expect(!same("http://127.0.0.1:8080/v1", "http://127.0.0.1:8081/v1"))
    #expect(!same("http://127.0.0.1:8080/v1", "http://localhost:8080/v1"))
    #expect(!same("https://example.org/v1", "http://example.org/v1"))
    #expect(!same("http://example.org/v1", "http://example.org.evil.net/v1"))
  }

  @Test(
    "agora run behind a redirecting server: the run finishes, the other server answers, the key never reaches it",
    .timeLimit(.minutes(2)))
  func redirectedRun() throws {
    let key = Self.newKey()
    let other = try StubServer { _ in .completion() }
    let server = try StubServer { _ in
      StubServer.Reply(status: 307, headers: ["Location": other.url + "/v1/chat/completions"])
    }
    let folder = TestSupport.temporaryDirectory()
    let file = folder + "/scenario.yaml"
    try Self.scenario(url: server.url, folder: folder).write(toFile: file, atomically: true, encoding: .utf8)
    let (status, output) = try Self.agora(
      ["run", file, "--out", folder + "/out", "--quiet", "--threads", "1"], environment: [Self.variable: key])
    #expect(status == 0, "\(output)")
    #expect(server.requests.count == 30 && other.requests.count == 30, "every decision was redirected and answered")
    #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(key)" })
    #expect(other.requests.allSatisfy { $0.headers["authorization"] == nil })
    #expect(!other.requests.contains { $0.headers.values.contains { $0.contains(key) } })
    #expect(!output.contains(key))
    #expect(!Self.texts(under: folder).contains { $0.contains(key) }, "no output or cache file holds the key")
  }

  // MARK: Echoed replies

  /// A server that answers `status` with its request's headers (as text, JSON-escaped and percent-encoded) and
  /// 1000 characters more.
  static func echoServer(status: Int) throws -> StubServer {
    try StubServer { request in
      let headers = request.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
      let echo = headers.joined(separator: "\n")
      let escaped = echo.replacingOccurrences(of: "/", with: #"\/"#)
      let encoded = echo.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? echo
      return StubServer.Reply(
        status: status,
        body: "you sent:\n\(echo)\nas JSON: \(escaped)\nin a URL: \(encoded)\n"
          + String(repeating: "x", count: 1000))
    }
  }

  /// Checks that `text`, an error, shows the reply after `marker` without the key, cut to 200 characters.
  static func checkExcerpt(_ text: String, after marker: String, key: String) throws {
    #expect(!text.contains(key), "\(text)")
    #expect(!text.contains(key.replacingOccurrences(of: "/", with: #"\/"#)))
    #expect(!text.contains(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
    #expect(!text.lowercased().contains("bearer sk-"))
    let start = try #require(text.range(of: marker)?.upperBound, "\(text)")
    let end = try #require(text.range(of: "…(", range: start..<text.endIndex)?.lowerBound, "\(text)")
    #expect(text[start..<end].hasPrefix("you sent:\n"), "the reply is still shown")
    #expect(text[start..<end].count == 200)
    let rest = text[end...].dropFirst(2).prefix { $0.isNumber }
    #expect(Int(rest).map { $0 > 1000 } == true && text[end...].contains("more characters)"), "\(text[end...])")
  }

  @Test(
    "an error reply that echoes the request headers is shown cut and without the key", .timeLimit(.minutes(4)),
    arguments: [400, 401, 500])
  func echoedError(status: Int) throws {
    let key = Self.newKey()
    let server = try Self.echoServer(status: status)
    do {
      _ = try Self.client(server.url, key: key).complete(Data(#"{"model": "test"}"#.utf8))
      Issue.record("HTTP \(status) was taken for a reply")
    } catch {
      let text = "\(error)"
      try Self.checkExcerpt(text, after: "answered HTTP \(status): ", key: key)
    }
    #expect(server.requests.first?.headers["authorization"] == "Bearer \(key)", "the key was sent, and echoed")
  }

  @Test("a 200 reply that is not a chat completion is shown cut and without the key", .timeLimit(.minutes(4)))
  func echoedNonJSON() throws {
    let key = Self.newKey()
    let server = try Self.echoServer(status: 200)
    do {
      _ = try Self.client(server.url, key: key).complete(Data(#"{"model": "test"}"#.utf8))
      Issue.record("a non-JSON body was taken for a chat completion")
    } catch {
      let text = "\(error)"
      #expect(text.contains("unusable answer"))
      try Self.checkExcerpt(text, after: "expected a chat completion with choices[0].message, got: ", key: key)
    }
  }

  @Test("a chat completion whose content echoes the key reaches the agents without it", .timeLimit(.minutes(4)))
  func echoedContent() throws {
    let key = Self.newKey()
    let server = try StubServer { request in
      .completion("not a choice: \(request.headers["authorization"] ?? "") and \(Self.variable)=\(key)")
    }
    let (reply, _, _) = try Self.client(server.url, key: key).complete(Data(#"{"model": "test"}"#.utf8))
    #expect(!reply.content.contains(key))
    #expect(reply.content == "not a choice: Bearer [key removed] and \(Self.variable)=[key removed]")
  }

  @Test("agora run against an echoing server fails with an error that holds no key", .timeLimit(.minutes(4)))
  func echoedRun() throws {
    let key = Self.newKey()
    let server = try Self.echoServer(status: 400)
    let folder = TestSupport.temporaryDirectory()
    let file = folder + "/scenario.yaml"
    try Self.scenario(url: server.url, folder: folder).write(toFile: file, atomically: true, encoding: .utf8)
    let (status, output) = try Self.agora(
      ["run", file, "--out", folder + "/out", "--quiet"], environment: [Self.variable: key])
    #expect(status != 0)
    try Self.checkExcerpt(output, after: "answered HTTP 400: ", key: key)
  }

  @Test("redaction removes the key in every form, and bearer tokens; the cut says how much was left out")
  func redaction() {
    let key = "abc/DEF+ghi="
    let text = "k=abc/DEF+ghi= j=abc\\/DEF+ghi= u=abc%2FDEF%2Bghi%3D auth: bearer  eyJhbGciOi.x-y_z, next"
    #expect(
      ChatClient.redact(text, key: key)
        == "k=[key removed] j=[key removed] u=[key removed] auth: Bearer [removed], next")
    #expect(ChatClient.redact("Bearer tok", key: nil) == "Bearer [removed]")
    #expect(
      ChatClient.redact(#"{"reason": "bearer x", "k": "abc/DEF+ghi="}"#, key: key, tokens: false)
        == #"{"reason": "bearer x", "k": "[key removed]"}"#)
    let failure = LanguageModelError.invalidReplies(kind: "k", agent: 1, attempts: 1, last: "Authorization: Bearer t0k")
    #expect("\(failure)".hasSuffix("the last was: Authorization: Bearer [removed]"))
    #expect(LanguageModelError.cut(String(repeating: "a", count: 200)) == String(repeating: "a", count: 200))
    #expect(
      LanguageModelError.cut(String(repeating: "a", count: 250))
        == String(repeating: "a", count: 200) + "…(50 more characters)")
  }

  // MARK: Which variables a scenario may read

  /// The scenario with `api_key_env: name`, loaded.
  static func load(keyVariable name: String) throws -> ScenarioSpec {
    try ScenarioLoader.load(
      yaml: Self.scenario(url: "http://127.0.0.1:9", folder: "/tmp", keyVariable: name), source: "shared.yaml")
  }

  @Test(
    "api_key_env may not name other secrets or variables",
    arguments: ["AWS_SECRET_ACCESS_KEY", "HOME", "PATH", "_API_KEY", "DB_PASSWORD", "OPENAI_API_KEY_FILE"])
  func refusedVariable(name: String) {
    do {
      _ = try Self.load(keyVariable: name)
      Issue.record("api_key_env: \(name) was accepted")
    } catch {
      let text = "\(error)"
      #expect(text.hasPrefix("shared.yaml: population.segments.1.llm.api_key_env: '\(name)': "), "\(text)")
      #expect(text.contains("ends in _API_KEY or _TOKEN"))
      #expect(text.contains("--allow-key-env NAME"))
    }
  }

  @Test("api_key_env may name API keys and tokens", arguments: ["OPENAI_API_KEY", "HF_TOKEN", "MY_LAB_API_KEY"])
  func acceptedVariable(name: String) throws {
    let spec = try Self.load(keyVariable: name)
    #expect(spec.population.segments[1].llm?.apiKeyEnv == name)
  }

  @Test("the command-line allow-list lets a named variable through, and only that one")
  func allowList() throws {
    #expect(throws: ScenarioIssue.self) { try Self.load(keyVariable: "AGORA_SECRETS_ALLOWED_SECRET") }
    try LanguageModelSpec.allowKeyVariables(["AGORA_SECRETS_ALLOWED_SECRET"])
    #expect(try Self.load(keyVariable: "AGORA_SECRETS_ALLOWED_SECRET").population.segments[1].llm != nil)
    #expect(throws: ScenarioIssue.self) { try Self.load(keyVariable: "AGORA_SECRETS_OTHER_SECRET") }
    #expect(throws: ScenarioIssue.self) { try LanguageModelSpec.allowKeyVariables(["NOT-A-NAME"]) }
  }

  @Test("the client refuses a variable outside the rule even when the scenario was not decoded")
  func clientRefuses() throws {
    var spec = LanguageModelSpec(baseURL: "http://127.0.0.1:9", model: "test")
    spec.apiKeyEnv = "HOME"
    do {
      _ = try ChatClient(spec: spec, jitter: RandomStream(seed: 1), environment: ["HOME": "/home/someone"])
      Issue.record("the client read HOME")
    } catch {
      #expect(
        "\(error)".contains(
          "llm.api_key_env names HOME, but a scenario may only read a variable whose name ends in _API_KEY"))
    }
  }

  @Test("agora run and agora sweep read a variable named with --allow-key-env", .timeLimit(.minutes(2)))
  func allowListOnTheCommandLine() throws {
    let secret = "s3cret-" + UUID().uuidString
    let name = "AGORA_SECRETS_CLI_SECRET"
    let server = try StubServer { _ in .completion() }
    let folder = TestSupport.temporaryDirectory()
    let file = folder + "/scenario.yaml"
    try Self.scenario(url: server.url, folder: folder, keyVariable: name, size: 8)
      .write(toFile: file, atomically: true, encoding: .utf8)
    let environment = [name: secret]
    let refused = try Self.agora(["run", file, "--out", folder + "/run", "--quiet"], environment: environment)
    #expect(refused.status == 2)
    #expect(refused.output.contains("api_key_env: '\(name)': a scenario may only read"), "\(refused.output)")
    let run = try Self.agora(
      ["run", file, "--out", folder + "/run", "--quiet", "--allow-key-env", name], environment: environment)
    #expect(run.status == 0, "\(run.output)")
    let sweep = ["sweep", file, "--seeds", "2", "--out", folder + "/sweep", "--quiet"]
    let refusedSweep = try Self.agora(sweep, environment: environment)
    #expect(refusedSweep.status == 2)
    #expect(refusedSweep.output.contains("--allow-key-env NAME"), "\(refusedSweep.output)")
    let swept = try Self.agora(
      sweep + ["--allow-key-env", "OTHER_NAME", "--allow-key-env", name], environment: environment)
    #expect(swept.status == 0, "\(swept.output)")
    #expect(!server.requests.isEmpty)
    #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(secret)" })
  }
}
