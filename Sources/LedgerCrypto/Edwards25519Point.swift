/// Points of edwards25519 (−x² + y² = 1 + d·x²·y²) in the coordinate systems of ref10 and
/// curve25519-dalek, with only the operations `Ed25519TableVerifier` needs: decoding a public
/// key, adding table entries, building fixed-base tables, and encoding the result.
/// Variable-time throughout: every point here is public.

/// Extended coordinates (X:Y:Z:T): x = X/Z, y = Y/Z, x·y = T/Z ("p3").
struct ExtendedPoint: Sendable {
    var x, y, z, t: FieldElement

    static let identity = ExtendedPoint(x: .zero, y: .one, z: .one, t: .zero)

    /// RFC 8032 §5.1.3 decoding of a canonical encoding, or nil when the bytes name no point.
    /// Callers pass only keys `Ed25519PointCheck` accepted (y below p, no sign bit on x = 0).
    init?(encoded: [UInt8]) {
        guard encoded.count == 32 else { return nil }
        let y = encoded.withUnsafeBytes { FieldElement(bytes: $0) }
        let yy = y.squared
        let u = yy - .one
        let v = FieldElement.d * yy + .one
        // x = u·v³·(u·v⁷)^((p−5)/8), then fixed up by √−1 if v·x² = −u.
        let v3 = v.squared * v
        var x = u * v3 * (u * v3.squared * v).pow22523
        let vxx = v * x.squared
        if !(vxx == u) {
            guard vxx == -u else { return nil }
            x = x * FieldElement.sqrtMinusOne
        }
        if x.isNegative != (encoded[31] >> 7 == 1) { x = -x }
        self.init(x: x, y: y, z: .one, t: x * y)
    }

    init(x: FieldElement, y: FieldElement, z: FieldElement, t: FieldElement) {
        (self.x, self.y, self.z, self.t) = (x, y, z, t)
    }

    /// The 32-byte encoding: y with x's sign in the top bit. One inversion (about 265 products).
    func encoded(into out: UnsafeMutableRawBufferPointer) {
        let zInverse = z.inverted
        (y * zInverse).write(to: out)
        if (x * zInverse).isNegative { out[31] |= 0x80 }
    }

    var negated: ExtendedPoint { ExtendedPoint(x: -x, y: y, z: z, t: -t) }

    /// This point with Z = 1 taken out, in the form additions read (Y+X, Y−X, Z, 2d·T).
    var projectiveNiels: ProjectiveNiels {
        ProjectiveNiels(yPlusX: y + x, yMinusX: y - x, z: z, t2d: t * FieldElement.d2)
    }

    /// 2·self (ref10's ge_p2_dbl): four squarings.
    var doubled: CompletedPoint {
        let xx = x.squared, yy = y.squared
        let zz2 = z.squared + z.squared
        let sum = (x + y).squared
        let yPlus = yy + xx
        let yMinus = yy - xx
        return CompletedPoint(x: sum - yPlus, y: yPlus, z: yMinus, t: zz2 - yMinus)
    }

    /// self + q, or self − q when `negated`, for a table entry (ref10's ge_madd and ge_msub):
    /// three products. −q swaps y+x with y−x and negates 2d·x·y.
    @inline(__always)
    func adding(_ q: AffineNiels, negated: Bool = false) -> CompletedPoint {
        let a = (y + x) * (negated ? q.yMinusX : q.yPlusX)
        let b = (y - x) * (negated ? q.yPlusX : q.yMinusX)
        let c = q.xy2d * t
        let d = z + z
        return CompletedPoint(x: a - b, y: a + b, z: negated ? d - c : d + c, t: negated ? d + c : d - c)
    }

    /// self + q for any point (ref10's ge_add): four products.
    func adding(_ q: ProjectiveNiels) -> CompletedPoint {
        let a = (y + x) * q.yPlusX
        let b = (y - x) * q.yMinusX
        let c = q.t2d * t
        let zz = z * q.z
        let d = zz + zz
        return CompletedPoint(x: a - b, y: a + b, z: d + c, t: d - c)
    }
}

/// ((X:Z), (Y:T)): x = X/Z, y = Y/T, what an addition yields before it is put back ("p1p1").
struct CompletedPoint {
    var x, y, z, t: FieldElement

    /// Four products.
    @inline(__always)
    var extended: ExtendedPoint { ExtendedPoint(x: x * t, y: y * z, z: z * t, t: x * y) }
}

/// An affine point as tables hold it: (y+x, y−x, 2d·x·y).
struct AffineNiels: Sendable {
    var yPlusX, yMinusX, xy2d: FieldElement
}

/// A projective point as general additions read it: (Y+X, Y−X, Z, 2d·T).
struct ProjectiveNiels {
    var yPlusX, yMinusX, z, t2d: FieldElement
}

/// The multiples j·256^i·P for i in 0..<32 and j in 1...128 of one point P: with the signed
/// radix-256 digits of a scalar k below 2^253, k·P is a sum of at most 32 entries, with no
/// doubling. 4,096 entries of 120 bytes (480 KiB); built in about 4,200 additions and one
/// inversion.
struct FixedBaseTable: Sendable {
    static let rows = 32, columns = 128
    let entries: ContiguousArray<AffineNiels>

    init(_ point: ExtendedPoint) {
        var points: [ExtendedPoint] = []
        points.reserveCapacity(Self.rows * Self.columns)
        var base = point
        for _ in 0..<Self.rows {
            let step = base.projectiveNiels
            var multiple = base
            points.append(multiple)
            for _ in 1..<Self.columns {
                multiple = multiple.adding(step).extended
                points.append(multiple)
            }
            // 256·base = 2·(128·base).
            base = multiple.doubled.extended
        }
        // Montgomery's trick: every Z inverted with one inversion and three products each.
        var prefix = [FieldElement](repeating: .one, count: points.count)
        var running = FieldElement.one
        for (i, p) in points.enumerated() {
            prefix[i] = running
            running = running * p.z
        }
        var inverse = running.inverted
        var entries = ContiguousArray<AffineNiels>(repeating: AffineNiels(yPlusX: .one, yMinusX: .one, xy2d: .zero), count: points.count)
        for i in points.indices.reversed() {
            let zInverse = inverse * prefix[i]
            inverse = inverse * points[i].z
            let x = points[i].x * zInverse, y = points[i].y * zInverse
            entries[i] = AffineNiels(yPlusX: y + x, yMinusX: y - x, xy2d: x * y * FieldElement.d2)
        }
        self.entries = entries
    }

    /// k·P for a scalar below 2^253 (32 little-endian bytes): at most 32 additions.
    func multiple(_ scalar: UnsafeRawBufferPointer) -> ExtendedPoint {
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 32) { digits in
            guard let d = digits.baseAddress else { return .identity }
            Ed25519Scalar.signedDigits(scalar, into: d)
            return entries.withUnsafeBufferPointer { table in
                (0..<Self.rows).reduce(ExtendedPoint.identity) { acc, row in Self.add(acc, digit: d[row], row: row, table) }
            }
        }
    }

    /// acc + digit·256^row·P: one table addition, none for a zero digit.
    @inline(__always)
    static func add(_ acc: ExtendedPoint, digit: Int8, row: Int, _ table: UnsafeBufferPointer<AffineNiels>) -> ExtendedPoint {
        if digit > 0 { return acc.adding(table[row &* columns &+ Int(digit) &- 1]).extended }
        if digit < 0 { return acc.adding(table[row &* columns &- Int(digit) &- 1], negated: true).extended }
        return acc
    }

    /// The base point B of RFC 8032: y = 4/5, x even.
    static let base: FixedBaseTable = {
        let y = FieldElement(4, 0, 0, 0, 0) * FieldElement(5, 0, 0, 0, 0).inverted
        // The encoding of B is y with the sign bit clear; it always decodes.
        guard let b = ExtendedPoint(encoded: y.bytes) else { preconditionFailure("the base point does not decode") }
        return FixedBaseTable(b)
    }()
}
