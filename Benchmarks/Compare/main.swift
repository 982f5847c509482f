// ledger-compare-bench: builds a ledger of N disclosure-statement/v2 statements over 200 platforms with the release
// `ledger` binary (bulk import, then corrections, responses and a second signer's conflicting
// figures), then times `ledger compare` and `ledger history` end to end (process start included);
// then, in a ledger of its own, `ledger source diff` of two 100 KB versions of a policy.
//
//   swift build -c release && .build/release/ledger-compare-bench [N] [--dir DIR]
//
// With --dir, the ledger is built in DIR and kept; a later run with the same DIR reuses it.
import BenchSupport
import Foundation

let (keepDir, args) = benchArguments()
let count = args.first.flatMap { Int($0) } ?? 1_000_000
let platforms = 200
let categories = ["third-party-sharing", "government-requests", "advertising", "data-retention", "encryption", "policy-text"]
let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let work = URL(fileURLWithPath: keepDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("ledger-compare-bench-\(getpid())").path)
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
_ = FileManager.default.changeCurrentDirectoryPath(work.path)
defer { if keepDir == nil { try? FileManager.default.removeItem(at: work) } }

func ledger(_ args: [String], stdin: String? = nil) -> Measured {
    measure(bin.appendingPathComponent("ledger").path, args, stdin: stdin, samplingPeak: false)
}

func date(_ week: Int) -> String {
    // Weekly effective dates from 2000-01-03, as YYYY-MM-DD.
    var days = week * 7 + 2
    var y = 2000
    func leap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    while days >= (leap(y) ? 366 : 365) { days -= leap(y) ? 366 : 365; y += 1 }
    let months = [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    var m = 0
    while days >= months[m] { days -= months[m]; m += 1 }
    return String(format: "%04d-%02d-%02d", y, m + 1, days + 1)
}

let sha = String(repeating: "5a", count: 32)
func statement(_ i: Int, value: Int, signer: String = "a", supersedes: String = "") -> String {
    let cell = i % (platforms * categories.count)
    let week = i / (platforms * categories.count)
    let platform = cell % platforms, category = categories[cell / platforms]
    let day = date(week)
    // disclosure-statement/v2, as real reports give figures: per country, a share, a band. About
    // one claim in a hundred is a claim of absence ("has never disclosed … to governments",
    // spread over every platform); the rest report requests for the week.
    func figure(_ measure: String, _ value: String, _ jurisdiction: String, _ requester: String = "governments") -> String {
        #"{"measure":"\#(measure)",\#(value),"period":{"start":"\#(day)","end":"\#(day)"},"jurisdiction":"\#(jurisdiction)","requester":"\#(requester)"}"#
    }
    let figures = [
        figure("requests-received", "\"count\":\(value)", "US"),
        figure("requests-with-data-produced", "\"count\":\(value / 2)", "US", "law-enforcement"),
        figure("requests-with-data-produced", "\"share_bp\":\(value * 10 % 10_001)", "IN", "law-enforcement"),
        figure("accounts-specified", #""band":{"low":0,"high":499}"#, "US", "intelligence-agencies"),
    ]
    let content = (week + cell) % 100 == 7
        ? #""assertions":[{"polarity":"never","action":"disclose","recipient":"governments","data_kinds":["any-user-data"]}]"#
        : "\"figures\":[" + figures.joined(separator: ",") + "]"
    return #"{"schema":"disclosure-statement/v2","platform":"platform-\#(platform)","category":"\#(category)","summary":"Statement \#(i) by \#(signer)","recipients":["governments","law-enforcement"],"data_kinds":["ip-address","phone-number"],\#(content),"published":"\#(day)","source":{"url":"https://example.org/transparency/\#(i)","retrieved_at":"2024-07-01T12:00:00Z","sha256":"\#(sha)"},"quote":"In this period we received \#(value) requests for user data from government agencies and complied with \#(value / 2) of them.","language":"en"\#(supersedes)}"#
}

let ledgerFile = work.appendingPathComponent("ledger/ledger.sqlite").path
if !FileManager.default.fileExists(atPath: ledgerFile) {
    _ = ledger(["init", "--origin", "bench.example/compare"])
    for name in ["a", "b"] {
        _ = ledger(["keygen", name])
        _ = ledger(["signer", "add", name, "keys/\(name).pub"])
    }
    var jsonl = ""
    jsonl.reserveCapacity(count * 700)
    for i in 0..<count { jsonl += statement(i, value: i % 997) + "\n" }
    let input = work.appendingPathComponent("statements.jsonl").path
    try jsonl.write(toFile: input, atomically: false, encoding: .utf8)
    jsonl = ""
    let imported = ledger(["append", "--key", "keys/a.key"], stdin: input)
    print("imported \(count) statements in \(String(format: "%.1f", imported.seconds)) s")
    // seq and leaf hash of every statement, from the append receipts.
    let receipts = imported.stdout.split(separator: "\n").map { $0.split(separator: " ") }
    // Signer a amends one statement in 500 and retracts one in 2,000; signer b endorses one in 1,000
    // and restates one in 200 with other figures (a conflict on the same date).
    var second = "", third = ""
    for (i, r) in receipts.enumerated() {
        if i % 500 == 3 {
            second += statement(i, value: i % 997 + 1, supersedes: #","supersedes":{"seq":\#(r[0]),"leaf_hash":"\#(r[1])","kind":"amendment"}"#) + "\n"
        } else if i % 2000 == 11 {
            second += statement(i, value: 1, supersedes: #","supersedes":{"seq":\#(r[0]),"leaf_hash":"\#(r[1])","kind":"retraction"}"#) + "\n"
        }
        if i % 1000 == 5 {
            third += #"{"schema":"disclosure-response/v1","target":{"seq":\#(r[0]),"leaf_hash":"\#(r[1])"},"stance":"endorsement","reason":"matches the report","source":{"url":"https://example.org/check/\#(i)","retrieved_at":"2024-08-01T00:00:00Z","sha256":"\#(sha)"},"language":"en"}"# + "\n"
        }
        if i % 200 == 9 { third += statement(i, value: i % 997 + 13, signer: "b") + "\n" }
    }
    try second.write(toFile: work.appendingPathComponent("second.jsonl").path, atomically: false, encoding: .utf8)
    try third.write(toFile: work.appendingPathComponent("third.jsonl").path, atomically: false, encoding: .utf8)
    let corrections = ledger(["append", "--key", "keys/a.key"], stdin: work.appendingPathComponent("second.jsonl").path)
    let others = ledger(["append", "--key", "keys/b.key"], stdin: work.appendingPathComponent("third.jsonl").path)
    print("appended \(second.split(separator: "\n").count) corrections in \(String(format: "%.1f", corrections.seconds)) s, \(third.split(separator: "\n").count) responses and conflicting statements in \(String(format: "%.1f", others.seconds)) s")
}

func ms(_ x: Double) -> String { String(format: "%6.1f ms", x) }

/// The median of `runs` timings of one command, in milliseconds, and its output size.
func time(_ label: String, _ args: [String], runs: Int = 7) -> Double {
    var times: [Double] = [], cpu: [Double] = []
    var bytes = 0
    for _ in 0..<runs {
        let m = ledger(args)
        times.append(m.seconds * 1000)
        cpu.append(m.cpuSeconds * 1000)
        bytes = m.stdout.utf8.count
    }
    let median = times.sorted()[runs / 2]
    let padded = label.padding(toLength: 58, withPad: " ", startingAt: 0)
    print("  \(padded) wall median \(ms(median)) (min \(ms(times.min() ?? 0)))  cpu median \(ms(cpu.sorted()[runs / 2]))  \(bytes) bytes out  \(median < 100 ? "ok" : "OVER 100 ms")")
    return median
}

let size = ledger(["export", "--from", "0", "--to", "0"]).stdout.isEmpty ? 0 : count
var load = [0.0, 0, 0]
getloadavg(&load, 3)
print("ledger-compare-bench: \(size) statements over \(platforms) platforms x \(categories.count) categories, release binaries in \(bin.path); load average \(String(format: "%.1f", load[0])) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
let noop = time("ledger log-key (process start, for reference)", ["log-key"])
var results: [Double] = []
results.append(time("compare (200 platforms x 6 categories, table)", ["compare", "--as-of", "2010-06-01"]))
results.append(time("compare --format json (all cells)", ["compare", "--as-of", "2010-06-01", "--format", "json"]))
results.append(time("compare --format csv, today", ["compare", "--format", "csv"]))
results.append(time("compare 3 platforms --category government-requests", ["compare", "platform-7", "platform-8", "platform-9", "--category", "government-requests"]))
results.append(time("compare --recipient governments (recipient view, table)", ["compare", "--recipient", "governments"]))
results.append(time("compare --recipient governments --format json", ["compare", "--recipient", "governments", "--format", "json"]))
results.append(time("compare --recipient law-enforcement --measure … --period 2010", ["compare", "--recipient", "law-enforcement", "--measure", "requests-with-data-produced", "--period", "2010", "--as-of", "2010-12-31"]))
results.append(time("history platform-7 --category government-requests (json)", ["history", "platform-7", "--category", "government-requests", "--format", "json"]))
results.append(time("history platform-7 (all categories, table)", ["history", "platform-7"]))
print(String(format: "  process start alone: %.1f ms; worst command: %.1f ms (target < 100 ms)", noop, results.max() ?? 0))
// A page of a whole-platform history (all categories), from either end and from the middle:
// what the platform page and `ledger history --latest` answer; each event as the whole gives it.
var historyPages: [Double] = []
historyPages.append(time("history platform-7 --latest (newest 100, all categories)", ["history", "platform-7", "--latest"]))
historyPages.append(time("history platform-7 --limit 100 (oldest 100)", ["history", "platform-7", "--limit", "100"]))
historyPages.append(time("history platform-7 --before 2010-01-01.0 (100, mid-timeline)", ["history", "platform-7", "--before", "2010-01-01.0"]))
historyPages.append(time("history platform-7 --latest --format json", ["history", "platform-7", "--latest", "--format", "json"]))
print(String(format: "  whole-platform history of platform-7 (5,000 statements), a page of 100: worst %.1f ms (target < 50 ms)", historyPages.max() ?? 0))
// platform-9 has twice the statements, and a second signer in every category (conflicts).
let contested = time("history platform-9 --latest (10,000, two signers everywhere)", ["history", "platform-9", "--latest"])
print(String(format: "  platform-9 (10,000 statements, two signers in every category), newest page: %.1f ms", contested))

// Full-text search (`ledger search`, the same query as GET /v1/search): a ledger built before the
// search index gets it from `ledger upgrade` (the migration fills it from every body), timed once.
let upgrade = ledger(["upgrade"])
print(String(format: "  ledger upgrade (builds the search index from every stored body when it is missing): %.1f s", upgrade.seconds))
var searches: [Double] = []
searches.append(time("search requests government (every statement matches)", ["search", "requests", "government"]))
searches.append(time("search \"Statement 777777 by\" (one phrase, one match)", ["search", "\"Statement 777777 by\""]))
searches.append(time("search --platform platform-7 --recipient law-enforcement", ["search", "--platform", "platform-7", "--recipient", "law-enforcement"]))
searches.append(time("search complied --platform platform-7 --category … --json", ["search", "complied", "--platform", "platform-7", "--category", "government-requests", "--json"]))
searches.append(time("search nothingmatchesthis (no match)", ["search", "nothingmatchesthis"]))
print(String(format: "  search: worst %.1f ms, process start included (target < 50 ms)", searches.max() ?? 0))

// Crowded cells: 20 platforms x 3 categories, 1,000 claims of one date in each (a report split
// into many statements, or a signer flooding cells), in a ledger of its own. A cell holds the
// newest 64 and counts the rest, so time and memory follow the 60 cells, not the 60,000 claims.
let crowded = work.appendingPathComponent("crowded")
if !FileManager.default.fileExists(atPath: crowded.appendingPathComponent("ledger/ledger.sqlite").path) {
    try FileManager.default.createDirectory(at: crowded, withIntermediateDirectories: true)
    _ = FileManager.default.changeCurrentDirectoryPath(crowded.path)
    _ = ledger(["init", "--origin", "bench.example/crowded"])
    _ = ledger(["keygen", "a"])
    _ = ledger(["signer", "add", "a", "keys/a.pub"])
    var jsonl = ""
    for i in 0..<60_000 {
        jsonl += #"{"schema":"disclosure-statement/v2","platform":"crowded-\#(i % 20)","category":"\#(categories[i / 20 % 3])","summary":"Part \#(i)","recipients":["governments"],"figures":[{"measure":"requests-received","count":\#(i),"period":{"start":"2024-01-01","end":"2024-06-30"},"jurisdiction":"US","requester":"governments"}],"published":"2024-06-30","source":{"url":"https://example.org/report/\#(i)","retrieved_at":"2024-07-01T12:00:00Z","sha256":"\#(sha)"},"quote":"We received \#(i) requests.","language":"en"}"# + "\n"
    }
    try jsonl.write(toFile: crowded.appendingPathComponent("statements.jsonl").path, atomically: false, encoding: .utf8)
    _ = ledger(["append", "--key", "keys/a.key"], stdin: crowded.appendingPathComponent("statements.jsonl").path)
}
_ = FileManager.default.changeCurrentDirectoryPath(crowded.path)
for (label, args) in [("compare, 1,000 claims of one date per cell (table)", ["compare"]),
                      ("compare --format json, 1,000 per cell", ["compare", "--format", "json"])] {
    let ms = time(label, args)
    let peak = measure(bin.appendingPathComponent("ledger").path, args).peakKiB
    print("  \(label): \(String(format: "%.1f", ms)) ms, peak \(peak / 1024) MiB (60 cells of 64 claims held)")
}
_ = FileManager.default.changeCurrentDirectoryPath(work.path)

// Two versions of a 100 KB policy (paragraphs of policy prose, 1 sentence in 100 reworded in the
// second), archived in a ledger of their own; then `ledger source diff` of the two.
let pages = work.appendingPathComponent("pages")
try? FileManager.default.removeItem(at: pages)
try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
_ = FileManager.default.changeCurrentDirectoryPath(pages.path)
_ = ledger(["init", "--origin", "bench.example/pages"])
_ = ledger(["keygen", "a"])
_ = ledger(["signer", "add", "a", "keys/a.pub"])
func policy(reworded: Bool) -> String {
    var html = "<html><head><title>Privacy Policy</title></head><body><main><h1>Privacy Policy</h1>"
    var i = 0
    while html.utf8.count < 100_000 {
        let verb = reworded && i % 100 == 42 ? "might share" : "may disclose"
        html += "<h3>\(i). Section \(i)</h3><p>If we receive a valid order, we \(verb) the data listed in section \(i) to the authorities named in it. "
            + "We keep records of requests number \(i * 7) and publish them twice a year in our transparency report.</p>"
        i += 1
    }
    return html + "</main></body></html>"
}
var seqs: [String] = []
for (n, reworded) in [false, true].enumerated() {
    try policy(reworded: reworded).write(to: pages.appendingPathComponent("v\(n).html"), atomically: false, encoding: .utf8)
    let added = ledger(["source", "add", "v\(n).html", "--key", "keys/a.key", "--url", "https://example.org/privacy", "--platform", "example",
                        "--type", "privacy-policy", "--retrieved-at", "2024-0\(n + 1)-01T00:00:00Z"])
    seqs.append(String(added.stdout.split(separator: " ").first ?? "0"))
}
let diffMs = time("source diff of two 100 KB policies (1 sentence in 100 changed)", ["source", "diff", seqs[0], seqs[1]])
print(String(format: "  source diff: %.1f ms (target < 50 ms)", diffMs))
