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

  init(spec: LanguageModelSpec, jitter: RandomStream, backoff: Double = 0.25) throws(LanguageModelError) {
    var base = spec.baseURL
    while base.hasSuffix("/") { base.removeLast() }
    url = base.hasSuffix("/v1") ? base + "/chat/completions" : base + "/v1/chat/completions"
    guard let endpoint = URL(string: url) else { throw .unreachable(url: url, reason: "not a valid URL") }
    self.endpoint = endpoint
    if let variable = spec.apiKeyEnv {
      guard let key = ProcessInfo.processInfo.environment[variable], !key.isEmpty else {
        throw .missingKey(variable: variable)
      }
      apiKey = key
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
    session = URLSession(configuration: configuration)
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
        let text = exchange.data.map { String(decoding: $0, as: UTF8.self) } ?? ""
        if status == 200 {
          return (try parse(exchange.data ?? Data()), latency, attempt)
        }
        guard status == 429 || (500...599).contains(status), attempt < retries else {
          throw .http(url: url, status: status, body: text)
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

  /// Reads the content, usage and finish reason of a chat completion.
  func parse(_ data: Data) throws(LanguageModelError) -> ChatReply {
    guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let choices = root["choices"] as? [[String: Any]], let first = choices.first,
      let message = first["message"] as? [String: Any]
    else {
      throw .badResponse(
        url: url,
        reason:
          "expected a chat completion with choices[0].message, got: \(String(decoding: data.prefix(300), as: UTF8.self))"
      )
    }
    let usage = root["usage"] as? [String: Any] ?? [:]
    return ChatReply(
      content: message["content"] as? String ?? "", promptTokens: usage["prompt_tokens"] as? Int ?? 0,
      completionTokens: usage["completion_tokens"] as? Int ?? 0, finishReason: first["finish_reason"] as? String ?? "")
  }
}
