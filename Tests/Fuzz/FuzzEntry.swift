// What every libFuzzer target shares, compiled into each by run.sh: the entry point libFuzzer
// calls, which hands the input to the target's `fuzzOne`, and the invariant check that stops
// the run with a message when a target finds one broken.

@inline(never)
func fuzzCheck(_ ok: Bool, _ what: @autoclosure () -> String) {
    if !ok { fatalError("fuzz invariant violated: \(what())") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzOne(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
