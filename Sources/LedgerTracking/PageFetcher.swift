import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerCore

/// A page as a server gave it: the bytes, what they are, where they came from.
public struct FetchedPage: Sendable {
    public let finalURL: String
    public let mediaType: ArchivedDocument.MediaType
    /// The charset the server named in `Content-Type`, if any.
    public let charset: String?
    public let content: [UInt8]
}

/// Fetches one page with bounds a tracking round needs: at most `maxRedirects` redirects, no
/// more than `maxBytes` read (a larger page is dropped as soon as it is known to be), and
/// `timeout` seconds of silence or in all. Blocks the calling thread until done.
public enum PageFetcher {
    public static let maxRedirects = 5

    public static func fetch(_ address: String, timeout: TimeInterval, maxBytes: Int = ArchivedDocument.maxContentBytes) -> Result<FetchedPage, TrackError> {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            return .failure(.badURL(address))
        }
        let collector = Collector(maxBytes: maxBytes)
        let config = URLSessionConfiguration.ephemeral
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: config, delegate: collector, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.setValue("disclosure-ledger (ledger track run)", forHTTPHeaderField: "User-Agent")
        session.dataTask(with: request).resume()
        collector.done.wait()
        return collector.outcome(address: address, timeout: timeout)
    }

    /// Gathers one answer's bytes, refusing more than `maxBytes` and more than `maxRedirects` hops.
    final class Collector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let maxBytes: Int
        let done = DispatchSemaphore(value: 0)
        // Written by the session's delegate queue (one callback at a time), read after `done`.
        var data = Data()
        var response: HTTPURLResponse?
        var failure: TrackError?
        var error: (any Error)?
        var redirects = 0

        init(maxBytes: Int) { self.maxBytes = maxBytes }

        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            redirects += 1
            if redirects > PageFetcher.maxRedirects {
                failure = .tooManyRedirects(PageFetcher.maxRedirects)
                completionHandler(nil)
            } else {
                completionHandler(request)
            }
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            self.response = response as? HTTPURLResponse
            if response.expectedContentLength > Int64(maxBytes) {
                failure = .tooLarge(bytes: Int(response.expectedContentLength))
                completionHandler(.cancel)
            } else {
                completionHandler(.allow)
            }
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            guard failure == nil else { return }
            self.data.append(data)
            if self.data.count > maxBytes {
                failure = .tooLarge(bytes: self.data.count)
                dataTask.cancel()
            }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            self.error = error
            done.signal()
        }

        func outcome(address: String, timeout: TimeInterval) -> Result<FetchedPage, TrackError> {
            if let failure { return .failure(failure) }
            if let e = error as? URLError {
                return .failure(e.code == .timedOut ? .timedOut(seconds: Int(timeout)) : .unreachable(e.localizedDescription))
            }
            if let error { return .failure(.unreachable("\(error)")) }
            guard let response else { return .failure(.unreachable("no answer")) }
            if (300..<400).contains(response.statusCode) { return .failure(.tooManyRedirects(PageFetcher.maxRedirects)) }
            guard response.statusCode == 200 else { return .failure(.status(response.statusCode)) }
            let (type, charset) = Self.contentType(response.value(forHTTPHeaderField: "Content-Type"))
            guard let media = ArchivedDocument.MediaType(rawValue: type) else { return .failure(.unsupportedMediaType(type.isEmpty ? "none" : type)) }
            return .success(FetchedPage(finalURL: response.url?.absoluteString ?? address, mediaType: media, charset: charset, content: [UInt8](data)))
        }

        /// `text/html; charset=ISO-8859-1` → ("text/html", "iso-8859-1").
        static func contentType(_ header: String?) -> (String, String?) {
            let parts = (header ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let charset = parts.dropFirst().first { $0.hasPrefix("charset=") }.map { String($0.dropFirst(8)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            return (parts.first ?? "", charset)
        }
    }
}

/// Why a tracked page was not archived this round (nothing is appended for it).
public enum TrackError: KindedError, Equatable, CustomStringConvertible {
    case badURL(String)
    case status(Int)
    case tooLarge(bytes: Int)
    case timedOut(seconds: Int)
    case tooManyRedirects(Int)
    case unsupportedMediaType(String)
    case unreachable(String)
    case noText(String)

    public var kind: FailureKind {
        switch self {
        case .badURL: return .caller
        default: return .local
        }
    }

    public var description: String {
        switch self {
        case .badURL(let u): return "'\(u)' is not an http:// or https:// URL"
        case .status(let code): return "the server answered HTTP \(code)"
        case .tooLarge(let n): return "the page is larger than \(ArchivedDocument.maxContentBytes) bytes (3 MiB)\(n > 0 ? " (\(n) bytes)" : ""); it was not read further"
        case .timedOut(let s): return "no answer within \(s) s"
        case .tooManyRedirects(let n): return "more than \(n) redirects"
        case .unsupportedMediaType(let t): return "the page is \(t), not text/html or text/plain"
        case .unreachable(let why): return "unreachable: \(why)"
        case .noText(let why): return why
        }
    }
}
