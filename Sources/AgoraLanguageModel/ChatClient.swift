import AgoraCore
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// What a chat completion returned (the fields Agora uses).
struct ChatReply: Sendable {
  var content: String
  var promptTokens: Int
  var completionTokens: Int
  var finishReason: String
}

/// Sends chat-completion requests to one OpenAI-compatible endpoint, synchronously (callers bring the threads),
/// with a time-out, and exponential back-off with jitter on 429, 5xx and time-outs (honouring `Retry-After`).
///
/// The API key stays with the endpoint's origin: a redirect to another scheme, host or port is followed without it,
/// and whatever the server sends back reaches errors and replies with the key and bearer tokens removed.
final class ChatClient: @unchecked Sendable {
  /// The full URL of `/v1/chat/completions`.
  let url: String
  let endpoint: URL
  let apiKey: String?
  let timeout: Double
  let retries: Int
  /// The first back-off delay in seconds (doubled per retry, capped at 30, times a jitter factor in [0.5, 1.5)).
  let backoff: Double
  let session: URLSession
  let jitter: RandomStream
  let lock = NSLock()

  /// A client of `spec`'s endpoint; the key is read from `environment` (the process's, but for tests). Without
  /// `needsKey` (an estimate or a preview, which send nothing) a missing key is no error.
  init(
    spec: LanguageModelSpec, jitter: RandomStream, backoff: Double = 0.25,
    environment: [String: String] = ProcessInfo.processInfo.environment, needsKey: Bool = true
  ) throws(LanguageModelError) {
    var base = spec.baseURL
    while base.hasSuffix("/") { base.removeLast() }
    url = base.hasSuffix("/v1") ? base + "/chat/completions" : base + "/v1/chat/completions"
    guard let endpoint = URL(string: url) else { throw .unreachable(url: url, reason: "not a valid URL") }
    self.endpoint = endpoint
    if let variable = spec.apiKeyEnv {
      guard LanguageModelSpec.mayReadKey(from: variable) else { throw .keyNotAllowed(variable: variable) }
      let key = environment[variable] ?? ""
      guard !key.isEmpty || !needsKey else { throw .missingKey(variable: variable) }
      apiKey = key.isEmpty ? nil : key
    } else {
      apiKey = nil
    }
    timeout = spec.timeout
    retries = spec.retries
    self.backoff = backoff
    self.jitter = jitter
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = spec.timeout
    configuration.httpMaximumConnectionsPerHost = max(1, spec.concurrency)
    session = URLSession(configuration: configuration, delegate: RedirectGuard(origin: endpoint), delegateQueue: nil)
  }

  deinit { session.finishTasksAndInvalidate() }

  /// Takes the `Authorization` header off a redirected request that leaves the endpoint's origin (URLSession, also
  /// FoundationNetworking's, copies every header of the original request onto the redirected one).
  final class RedirectGuard: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    let origin: URL

    init(origin: URL) { self.origin = origin }

    func urlSession(
      _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
      newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
      var request = request
      if !ChatClient.sameOrigin(request.url, origin) { request.setValue(nil, forHTTPHeaderField: "Authorization") }
      completionHandler(request)
    }
  }

  /// Whether two URLs have the same scheme, host and port (the port defaulted from the scheme), as in RFC 6454.
  static func sameOrigin(_ a: URL?, _ b: URL?) -> Bool {
    func origin(_ url: URL?) -> (String, String, Int)? {
      guard let url, let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
      return (scheme, host, url.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1))
    }
    guard let x = origin(a), let y = origin(b) else { return false }
    return x == y
  }

  /// One HTTP exchange's outcome.
  final class Exchange: @unchecked Sendable {
    var data: Data?
    var response: HTTPURLResponse?
    var error: (any Error)?
  }

  /// Sends `body` and returns the reply, the seconds the successful exchange took and the number of transient
  /// failures retried on the way.
  func complete(_ body: Data) throws(LanguageModelError) -> (reply: ChatReply, latency: Double, retried: Int) {
    var request = URLRequest(url: endpoint, timeoutInterval: timeout)
    request.httpMethod = "POST"
    request.httpBody = body
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
    var attempt = 0
    while true {
      let start = DispatchTime.now().uptimeNanoseconds
      let exchange = send(request)
      let latency = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      var retryAfter: Double? = nil
      if let error = exchange.error {
        let code = (error as? URLError)?.code
        if code == .timedOut {
          if attempt >= retries { throw .timedOut(url: url, seconds: timeout, attempts: attempt + 1) }
        } else {
          throw .unreachable(url: url, reason: (error as? URLError).map(describe) ?? "\(error)")
        }
      } else if let response = exchange.response {
        let status = response.statusCode
        if status == 200 {
          return (try parse(exchange.data ?? Data(), from: response), latency, attempt)
        }
        guard status == 429 || (500...599).contains(status), attempt < retries else {
          let text = exchange.data.map { String(decoding: $0, as: UTF8.self) } ?? ""
          throw .http(url: place(response), status: status, body: excerpt(text))
        }
        retryAfter = response.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init)
      } else {
        throw .badResponse(url: url, reason: "no HTTP response")
      }
      let factor = lock.withLock { 0.5 + jitter.uniform() }
      let delay = min(60, retryAfter ?? min(30, backoff * Double(1 << min(attempt, 20))) * factor)
      Thread.sleep(forTimeInterval: delay)
      attempt += 1
    }
  }

  /// The number of tokens the server's tokenizer makes of `text`, and the endpoint that answered (llama.cpp's
  /// `/tokenize`, then llama-cpp-python's `/extras/tokenize`); `nil` when neither answers with a token list (an
  /// OpenAI server has none). One attempt each, no retries: an estimate without it gives a range.
  func tokenize(_ text: String) -> (tokens: Int, endpoint: String)? {
    var root = url
    for suffix in ["/chat/completions", "/v1"] where root.hasSuffix(suffix) { root.removeLast(suffix.count) }
    for (path, field) in [("/tokenize", "content"), ("/extras/tokenize", "input")] {
      guard let target = URL(string: root + path),
        let body = try? JSONSerialization.data(withJSONObject: [field: text, "add_special": false])
      else { continue }
      var request = URLRequest(url: target, timeoutInterval: timeout)
      request.httpMethod = "POST"
      request.httpBody = body
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
      if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
      let exchange = send(request)
      guard exchange.response?.statusCode == 200, let data = exchange.data,
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let list = object["tokens"] as? [Any]
      else { continue }
      return (list.count, path)
    }
    return nil
  }

  func send(_ request: URLRequest) -> Exchange {
    let exchange = Exchange()
    let done = DispatchSemaphore(value: 0)
    let task = session.dataTask(with: request) { data, response, error in
      exchange.data = data
      exchange.response = response as? HTTPURLResponse
      exchange.error = error
      done.signal()
    }
    task.resume()
    done.wait()
    return exchange
  }

  func describe(_ error: URLError) -> String {
    switch error.code {
    case .cannotConnectToHost: return "connection refused"
    case .cannotFindHost, .dnsLookupFailed: return "unknown host"
    case .networkConnectionLost: return "the connection was lost"
    case .notConnectedToInternet: return "no network"
    default: return error.localizedDescription
    }
  }

  /// Reads the content, usage and finish reason of a chat completion (`response` names where it came from). The
  /// texts are kept without the key, since they end up in the cache and in errors (which also drop bearer tokens;
  /// here they stay, as removing them could break the reply's JSON).
  func parse(_ data: Data, from response: HTTPURLResponse? = nil) throws(LanguageModelError) -> ChatReply {
    guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let choices = root["choices"] as? [[String: Any]], let first = choices.first,
      let message = first["message"] as? [String: Any]
    else {
      throw .badResponse(
        url: response.map(place) ?? url,
        reason:
          "expected a chat completion with choices[0].message, got: \(excerpt(String(decoding: data, as: UTF8.self)))")
    }
    let usage = root["usage"] as? [String: Any] ?? [:]
    return ChatReply(
      content: Self.redact(message["content"] as? String ?? "", key: apiKey, tokens: false),
      promptTokens: usage["prompt_tokens"] as? Int ?? 0, completionTokens: usage["completion_tokens"] as? Int ?? 0,
      finishReason: Self.redact(first["finish_reason"] as? String ?? "", key: apiKey, tokens: false))
  }

  /// The endpoint's URL, and where the server redirected the request when it did.
  func place(_ response: HTTPURLResponse) -> String {
    guard let final = response.url, final != endpoint else { return url }
    return "\(url) (redirected to \(excerpt(final.absoluteString)))"
  }

  /// A server's text as errors show it: without the key and bearer tokens, and at most 200 characters.
  func excerpt(_ text: String) -> String { LanguageModelError.cut(Self.redact(text, key: apiKey)) }

  /// `text` with every occurrence of `key` (also JSON-escaped and percent-encoded) and, with `tokens`, every bearer
  /// token replaced by a mark; a server that echoes its request headers would otherwise hand the key to errors and
  /// files.
  static func redact(_ text: String, key: String?, tokens: Bool = true) -> String {
    var text = text
    if tokens {
      text = text.replacingOccurrences(
        of: #"bearer\s+[^\s"'<>,;]+"#, with: "Bearer [removed]", options: [.regularExpression, .caseInsensitive])
    }
    guard let key, !key.isEmpty else { return text }
    let forms = [
      key, key.replacingOccurrences(of: "/", with: #"\/"#),
      key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key,
    ]
    for form in Set(forms).sorted(by: { $0.count > $1.count }) {
      text = text.replacingOccurrences(of: form, with: "[key removed]")
    }
    return text
  }
}
