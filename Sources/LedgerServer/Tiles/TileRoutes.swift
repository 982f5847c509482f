import Hummingbird
import LedgerCore
import LedgerStorage

/// C2SP tlog-tiles reads: `/tile/<L>/<N>[.p/<W>]` and `/tile/entries/<N>[.p/<W>]` (the
/// checkpoint is served at `/checkpoint` by CheckpointRoutes). Tiles never change once they
/// exist, so they are cacheable for a year.
struct TileRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    static var cacheControl: String { "public, max-age=31536000, immutable" }

    func register(on router: Router<Context>) {
        router.get("/tile/**") { _, context in
            let components = context.parameters.getCatchAll()
            guard let tile = TilePath.parse(components) else {
                throw APIError.notFound("'tile/\(components.joined(separator: "/"))' is not a tile path: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], N in x-prefixed 3-digit groups")
            }
            let reader = backend.store
            let size = try reader.latestCheckpointSize()
            guard let bytes = try TileReader(store: reader).contents(tile, treeSize: size) else {
                throw APIError.notFound("tile \(tile.path) is not in the tree of \(size) entries")
            }
            return RawBody.response(bytes, contentType: "application/octet-stream", cacheControl: Self.cacheControl)
        }
    }
}
