import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerServer
import LedgerStorage
import XCTest

/// `POST /v1/cosignatures`: a trusted witness's cosignature is stored and served with the
/// checkpoint; anything else is refused with nothing stored.
final class CosignatureRouteTests: XCTestCase {
    func testTrustedCosignatureIsStoredAndServed() async throws {
        let f = try ServerFixture()
        let witnessKey = try Ed25519PrivateKey.generate()
        let witness = try Cosigner(name: "witness.example/w1", privateKey: witnessKey)
        let stranger = try Cosigner(name: "stranger.example/w9", privateKey: try Ed25519PrivateKey.generate())
        try LedgerStore(path: f.path).trustWitness(witness.key)

        let backend = try f.backend()
        try await f.app(backend).test(.router) { client in
            let note = try await client.execute(uri: "/v1/checkpoint", method: .get).text
            let signed = try SignedNote.parse(note)
            let now = UInt64(Date().timeIntervalSince1970)
            func cosigned(_ by: Cosigner) throws -> String {
                SignedNote(text: signed.text, signatures: signed.signatures + [try by.cosignature(for: signed, timestamp: now)]).encoded
            }
            let fingerprint = try f.fingerprint()
            // Refusals: not JSON-able notes, an untrusted witness only, a forged line, another log's checkpoint.
            try await client.execute(uri: "/v1/cosignatures", method: .post, body: ByteBuffer(string: "hello")) {
                try $0.assertError(.badRequest, "invalid_request")
            }
            try await client.execute(uri: "/v1/cosignatures", method: .post, body: ByteBuffer(string: try cosigned(stranger))) {
                try $0.assertError(.forbidden, "unauthorized")
            }
            var forged = try cosigned(witness)
            let lastSig = forged.index(forged.endIndex, offsetBy: -6)
            forged.replaceSubrange(lastSig..<forged.index(after: lastSig), with: forged[lastSig] == "A" ? "B" : "A")
            try await client.execute(uri: "/v1/cosignatures", method: .post, body: ByteBuffer(string: forged)) {
                XCTAssertTrue([.forbidden, .badRequest].contains($0.status), $0.text)
            }
            let otherLog = try NoteSigner(name: ServerFixture.origin, privateKey: try Ed25519PrivateKey.generate()).sign(signed.text)
            try await client.execute(uri: "/v1/cosignatures", method: .post, body: ByteBuffer(string: otherLog)) {
                XCTAssertEqual($0.status, .badRequest, $0.text)
            }
            XCTAssertEqual(try f.fingerprint(), fingerprint, "refusals store nothing")

            let ok = try await client.execute(uri: "/v1/cosignatures", method: .post, body: ByteBuffer(string: try cosigned(witness)))
            XCTAssertEqual(ok.status, .ok, ok.text)
            XCTAssertEqual(try ok.json["stored"], .array([.string("witness.example/w1")]))
            let served = try await client.execute(uri: "/v1/checkpoint", method: .get).text
            XCTAssertEqual(served, try cosigned(witness))
            XCTAssertEqual(try verifiedCosigners(of: try SignedNote.parse(served), among: [witness.key]), ["witness.example/w1"])

            // A receipt carries the note as the log signed it (no cosignature lines), the same
            // bytes from the route as from the store that `ledger receipt` reads.
            let receipt = try await client.execute(uri: "/v1/receipt/3", method: .get)
            XCTAssertEqual(receipt.status, .ok, receipt.text)
            XCTAssertEqual(try receipt.json["checkpoint"], .string(signed.encoded))
            XCTAssertEqual(Array(receipt.body.readableBytesView), try LedgerStore(path: f.path, readonly: true).receipt(seq: 3, checkpoint: nil).encoded + [0x0A])
            try await client.execute(uri: "/v1/receipt/99", method: .get) { try $0.assertError(.notFound, "not_found") }
        }
    }
}
