import LedgerCore
import LedgerCrypto
import XCTest

/// The `add-checkpoint` body of C2SP tlog-witness, against the spec's own example.
final class AddCheckpointTests: XCTestCase {
    /// The example request body of https://c2sp.org/tlog-witness, byte for byte.
    static let specExample = """
        old 20852014
        PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
        jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
        5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
        /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

        example.com/behind-the-sofa
        20852163
        CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

        \u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
        \u{2014} example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=

        """

    func testTheSpecExampleParsesAndEncodesToTheSameBytes() throws {
        let bytes = Array(Self.specExample.utf8)
        let request = try AddCheckpointRequest(parsing: bytes)
        XCTAssertEqual(request.oldSize, 20_852_014)
        XCTAssertEqual(request.proof.map(\.base64), ["PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=", "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=",
                                                     "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=", "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0="])
        let note = try SignedNote.parse(request.note)
        XCTAssertEqual(try Checkpoint.parse(text: note.text).size, 20_852_163)
        XCTAssertEqual(note.signatures.count, 2)
        XCTAssertEqual(request.encoded, bytes)
    }

    func testMalformedBodiesAreRefusedWith400() {
        let note = "example.com/log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u{2014} example.com/log AAAA\n"
        let proofLine = "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
        for body in ["old 01\n\n" + note, "old -1\n\n" + note, "old 1\n", "old 1\n\n", "new 1\n\n" + note, "old 1\nnot base64!\n\n" + note,
                     "old 1\nAAAA\n\n" + note, "old 1\n" + String(repeating: proofLine, count: 64) + "\n" + note, "old 99999999999999999999\n\n" + note] {
            XCTAssertThrowsError(try AddCheckpointRequest(parsing: Array(body.utf8)), body) { error in
                XCTAssertEqual((error as? AddCheckpointError)?.status, 400, "\(body): \(error)")
            }
        }
        XCTAssertNoThrow(try AddCheckpointRequest(parsing: Array(("old 0\n" + String(repeating: proofLine, count: 63) + "\n" + note).utf8)))
    }
}
