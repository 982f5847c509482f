import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerCommandSupport

/// One HTTP POST, waited for: the commands of `ledger-net` that send one request (a time-stamp
/// query, a checkpoint to a witness) and act on its status.
enum HTTPPost {
    /// The status and body of the answer to POST `body` to `url`. Throws `CLIError.io` naming
    /// `peer` (what `url` is, for the message) when no answer comes within `timeout` seconds.
    static func send(_ body: [UInt8], to url: URL, contentType: String? = nil, timeout: TimeInterval,
                     peer: String) throws -> (status: Int, body: [UInt8]) {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        request.httpBody = Data(body)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<(Data, URLResponse), Error>?
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let data, let response { outcome = .success((data, response)) } else { outcome = .failure(error ?? CLIError.io("no reply")) }
            done.signal()
        }.resume()
        done.wait()
        do {
            guard let outcome else { throw CLIError.io("no reply") }
            let (data, response) = try outcome.get()
            guard let http = response as? HTTPURLResponse else { throw CLIError.io("not an HTTP reply") }
            return (http.statusCode, [UInt8](data))
        } catch {
            throw CLIError.io("cannot reach \(peer) \(url): \(error.localizedDescription)")
        }
    }
}
