import Foundation
import LedgerCore
import XCTest

final class CanonicalJSONTests: XCTestCase {
    func canon(_ s: String) throws -> String { CanonicalJSON.string(try JSONParser.parse(s)) }

    func testSortsKeysByUTF16CodeUnitsAndDropsWhitespace() throws {
        // RFC 8785 §3.2.3's ordering example: keys sorted by UTF-16 code units, not code points.
        let input = #"{ "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" }"#
        let expectedOrder = ["\r", "1", "\u{80}", "\u{f6}", "\u{20ac}", "\u{1f600}", "\u{fb33}"]
        guard case .object(let members) = try JSONParser.parse(input) else { return XCTFail() }
        XCTAssertEqual(members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }, expectedOrder)
        let out = try canon(input)
        var lastIndex = out.startIndex
        for key in expectedOrder.dropFirst() {
            let r = try XCTUnwrap(out.range(of: "\"\(key)\":"))
            XCTAssertGreaterThan(r.lowerBound, lastIndex)
            lastIndex = r.lowerBound
        }
        XCTAssertEqual(try canon(" [ 1 , { \"b\" : true , \"a\" : null } ] "), #"[1,{"a":null,"b":true}]"#)
    }

    func testEscapesMinimally() throws {
        XCTAssertEqual(try canon(#""\u0041\/\"\\\b\f\n\r\t\u0001\u001f\u00e9""#), "\"A/\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001fé\"")
        XCTAssertEqual(try canon(#""\ud83d\ude00""#), "\"😀\"")
        XCTAssertEqual(try canon("\"\u{2028}\""), "\"\u{2028}\"")
    }

    func testIntegers() throws {
        XCTAssertEqual(try canon("[0,-0,9007199254740991,-9007199254740991]"), "[0,0,9007199254740991,-9007199254740991]")
    }

    /// The encoder's integer and string writers against the plain definitions: every Int64 edge,
    /// and random strings dense in characters that must be escaped, at the start, end and in runs.
    func testEncoderMatchesReferenceDefinitions() {
        for n: Int64 in [0, 1, -1, 9, 10, -10, 99, 100, 1_000_000, Int64.max, Int64.min, Int64.min + 1] {
            XCTAssertEqual(CanonicalJSON.string(.integer(n)), String(n))
        }
        func reference(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\u{08}": out += "\\b"
                case "\u{09}": out += "\\t"
                case "\u{0A}": out += "\\n"
                case "\u{0C}": out += "\\f"
                case "\u{0D}": out += "\\r"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let alphabet: [Character] = ["a", "Z", " ", "\"", "\\", "\u{00}", "\u{01}", "\u{08}", "\t", "\n", "\u{0C}", "\r", "\u{1F}", "/", "é", "€", "😀", "\u{7F}"]
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 3, 17, 200] {
            for _ in 0..<50 {
                let s = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
                XCTAssertEqual(CanonicalJSON.string(.string(s)), reference(s))
            }
        }
    }

    func testRefusals() {
        let cases: [(String, String)] = [
            ("1.5", "floating-point"), ("1e3", "floating-point"), ("[1.0]", "floating-point"),
            ("9007199254740992", "out of range"), ("-9007199254740992", "out of range"), ("99999999999999999999", "out of range"),
            ("01", "leading zeros"), (#"{"a":1,"a":2}"#, "duplicate key"), (#""\ud800""#, "lone surrogate"),
            (#""\udc00x""#, "lone surrogate"), ("\"a\u{01}\"", "control character"), (#""\x""#, "invalid escape"),
            ("[1,]", "unexpected character"), ("{\"a\":1} x", "after the JSON value"), ("", "empty"), ("  ", "empty"),
            ("\"abc", "unterminated"), ("tru", "invalid literal"), (String(repeating: "[", count: 40) + String(repeating: "]", count: 40), "deeper"),
        ]
        for (input, fragment) in cases {
            XCTAssertThrowsError(try JSONParser.parse(input), input) { XCTAssertTrue("\($0)".contains(fragment), "\(input): \($0)") }
        }
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
                               [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]] {
            XCTAssertThrowsError(try JSONParser.parse(bytes)) { XCTAssertTrue("\($0)".contains("UTF-8"), "\($0)") }
        }
        XCTAssertThrowsError(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8))) { XCTAssertTrue("\($0)".contains("byte-order mark")) }
    }

    func testErrorsNameThePath() {
        XCTAssertThrowsError(try JSONParser.parse(#"{"source":{"list":[1,2.5]}}"#)) {
            XCTAssertEqual("\($0)", "source.list[1]: floating-point numbers are not allowed; use an integer")
        }
    }

    func testCanonicalFormIsAFixedPoint() throws {
        for input in [#"{"z":[{"b":"\u00e9","a":-3}],"a":"x"}"#, "[]", "{}", "\"\"", "true"] {
            let once = try canon(input)
            XCTAssertEqual(try canon(once), once)
        }
    }

    /// The parser's one-pass canonical check (used on stored bodies) must agree exactly with
    /// encoding and comparing, on canonical inputs and on every way of spelling them otherwise.
    func testOnePassCanonicalCheckAgreesWithReencoding() throws {
        let inputs = [
            #"{"a":1,"b":[true,false,null],"c":"x"}"#, #"{"b":1,"a":2}"#, #"{"a":1, "b":2}"#, " {}", "{}\n", #"[-0]"#, #"[0,-1]"#,
            #""\/""#, #""\u0041""#, #""\u001f""#, #""\u001F""#, #""\u000a""#, #""\n""#, #""\b\f\r\t\"\\""#, #""\u0008""#,
            #""\ud83d\ude00""#, "\"😀\"", "\"\u{7f}\"", #"{"\u20ac":1,"\r":2}"#, #"{"\r":2,"€":1}"#,
            #"{"\ufb33":1,"😀":2}"#, #"{"😀":2,"\ufb33":1}"#, #"{"דּ":1,"😀":2}"#, #"{"😀":2,"דּ":1}"#, #"{"aa":1,"a":2}"#, #"{"a":1,"aa":2}"#,
            #"[{"b":{"d":1,"c":2}}]"#, #"[{"b":{"c":2,"d":1}}]"#,
        ]
        for input in inputs {
            let bytes = Array(input.utf8)
            let checked = try JSONParser.parseCheckingCanonical(bytes)
            XCTAssertEqual(checked.isCanonical, CanonicalJSON.encode(checked.value) == bytes, input)
        }
        let pretty = [UInt8](try JSONSerialization.data(withJSONObject: sampleStatement(), options: [.prettyPrinted]))
        let statement = try Body(parsing: pretty)
        XCTAssertNoThrow(try Body(stored: statement.canonical))
        XCTAssertThrowsError(try Body(stored: pretty)) { XCTAssertEqual($0 as? BodyError, .notCanonical) }
    }

    /// The byte comparison behind member order agrees with UTF-16 order on keys drawn from the
    /// ranges where the two can differ (U+E000–U+FFFF against supplementary characters), with
    /// shared prefixes so the first difference falls at every position.
    func testMemberOrderAgreesWithUTF16OnMixedRanges() throws {
        let pieces = ["a", "z", "\u{7f}", "\u{80}", "\u{d7ff}", "\u{e000}", "\u{fb33}", "\u{ffff}", "\u{10000}", "\u{1f600}", "\u{10ffff}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let prefix = (0..<Int.random(in: 0...2, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let keys = Set((0..<6).map { _ in prefix + (0..<Int.random(in: 1...3, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined() })
            let object = "{" + keys.shuffled().map { "\"\($0)\":0" }.joined(separator: ",") + "}"
            guard case .object(let members) = try JSONParser.parse(object) else { return XCTFail(object) }
            XCTAssertEqual(members.keys, keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }, object)
        }
    }
}
