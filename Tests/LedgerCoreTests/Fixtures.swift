import Foundation
import LedgerCrypto
import XCTest

/// The conformance vectors copied from ../shared/conformance (see Fixtures/SOURCES.md).
enum Fixtures {
    static var root: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent(name))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Every JSON file under a probe directory, recursively.
    static func probes(_ kind: String) throws -> [(name: String, value: [String: Any])] {
        let dir = root.appendingPathComponent("transparency-dev-merkle/testdata/\(kind)")
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
        return try files.sorted { $0.path < $1.path }.map { url in
            let value = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            return (url.path.replacingOccurrences(of: dir.path + "/", with: ""), value)
        }
    }
}

func hex(_ s: String) -> [UInt8] { Hex.decode(s)! }
func digest(hex s: String) -> Digest { Digest(hex: s)! }
func digest(b64 s: String) -> Digest? { Base64.decode(s).flatMap { Digest(bytes: $0) } }
