#!/usr/bin/env python3
"""An independent checker for Disclosure Ledger output, written from the public specs only:

* C2SP signed-note      https://c2sp.org/signed-note      (note format, Ed25519 key IDs)
* C2SP tlog-checkpoint  https://c2sp.org/tlog-checkpoint  (origin / size / root lines)
* RFC 9162 section 2.1  (RFC 6962 Merkle Tree Hash)
* the ledger's own exported bytes (`ledger export`, `ledger export --bodies`)

Python 3 standard library plus the `cryptography` package. Shares no code with the Swift sources.

Subcommands (exit 0 on success; 1 with a one-line reason on stderr on a failed check or
unreadable input; 2 on usage errors; 3 on an internal error of this script):

  note VKEY NOTEFILE                          verify a signed checkpoint under a verifier key
  root EXPORTFILE                             RFC 9162 root of the exported leaves
  checkpoint VKEY NOTEFILE EXPORTFILE         the note's size and root match the export
  signatures EXPORTFILE BODIESFILE PUBDIR     bodies, chain and Ed25519 entry signatures
  cosignature WITNESS_VKEY NOTEFILE           a C2SP tlog-cosignature/v1 line on the note verifies
  static VKEY URL                             a static publication (`ledger publish`) served at URL:
                                              its checkpoint, every entry bundle against its level-0
                                              tile, the root, every body against its leaf, and
                                              every listed checkpoint against the tree
  selftest CONFORMANCE_DIR                    RFC 6962 and C2SP vectors (rfc6962_basic.json,
                                              signed_notes.json)
"""

import base64
import binascii
import hashlib
import json
import os
import re
import sys

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key
except ImportError as e:  # exit 3, never 1: a missing package must not pass for a refusal
    sys.stderr.write(f"INTERNAL ERROR: the 'cryptography' package is needed ({e})\n")
    sys.exit(3)

EM_DASH = "\u2014"
ED25519_TYPE = 0x01
CONTEXT = b"disclosure-ledger/v1 "
ZERO_HASH_HEX = "00" * 32
LEAF_FIELDS = {"body_sha256", "kind", "prev", "seq", "sig", "signer", "time", "v"}
HEX64 = re.compile(r"[0-9a-f]{64}\Z")
KIND = re.compile(r"[a-z][a-z0-9-]*\Z")
SIGNER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
DECIMAL = re.compile(r"(0|[1-9][0-9]*)\Z")


class Failure(Exception):
    """A check failed; the message is the one-line reason."""


def sha256(data):
    return hashlib.sha256(data).digest()


def b64decode_strict(text, what):
    """RFC 4648 section 4 base64, padded, canonical (no stray bits, no whitespace)."""
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", text) or len(text) % 4:
        raise Failure(f"{what}: not padded standard base64")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Failure(f"{what}: not valid base64")
    if base64.b64encode(raw).decode("ascii") != text:
        raise Failure(f"{what}: non-canonical base64")
    return raw


def valid_key_name(name):
    return name != "" and "+" not in name and not any(ch.isspace() for ch in name)


# --- C2SP signed note -------------------------------------------------------------------------

def parse_verifier_key(vkey):
    """`name+hexkeyid+base64(0x01 || pubkey)` -> (name, key_id bytes, Ed25519PublicKey)."""
    vkey = vkey.strip("\n")
    parts = vkey.split("+", 2)  # the name has no '+'; the base64 key may
    if len(parts) != 3:
        raise Failure("verifier key: want name+keyid+key")
    name, hex_id, b64 = parts
    if not valid_key_name(name):
        raise Failure(f"verifier key: bad key name {name!r}")
    if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
        raise Failure(f"verifier key: key ID {hex_id!r} is not 8 lowercase hex digits")
    raw = b64decode_strict(b64, "verifier key")
    if len(raw) != 33 or raw[0] != ED25519_TYPE:
        raise Failure("verifier key: want 0x01 followed by a 32-byte Ed25519 public key")
    key_id = bytes.fromhex(hex_id)
    expect = sha256(name.encode("utf-8") + b"\n" + raw)[:4]
    if key_id != expect:
        raise Failure(f"verifier key: key ID {hex_id} does not match the key (computed {expect.hex()})")
    return name, key_id, Ed25519PublicKey.from_public_bytes(raw[1:])


def open_note(vkey, note_bytes):
    """Verifies a signed note under one trusted key and returns its text (str, with final newline)."""
    name, key_id, pub = parse_verifier_key(vkey)
    try:
        note = note_bytes.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise Failure("note: not valid UTF-8")
    for ch in note:
        if ord(ch) < 0x20 and ch != "\n":
            raise Failure(f"note: contains control character U+{ord(ch):04X}")
    if not note.endswith("\n"):
        raise Failure("note: does not end in a newline")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise Failure("note: no blank line separating text and signatures")
    text, sig_block = note[:cut + 1], note[cut + 2:]
    if sig_block == "":
        raise Failure("note: no signature lines after the last blank line")
    lines = sig_block[:-1].split("\n")
    if len(lines) > 100:
        raise Failure(f"note: too many signatures ({len(lines)})")
    verified = 0
    for line in lines:
        if not line.startswith(EM_DASH + " "):
            raise Failure(f"note: malformed signature line {line[:40]!r}")
        fields = line[2:].split(" ")
        if len(fields) != 2 or not valid_key_name(fields[0]):
            raise Failure(f"note: malformed signature line {line[:40]!r}")
        sig_name, sig_b64 = fields
        blob = b64decode_strict(sig_b64, f"note: signature by {sig_name}")
        if len(blob) < 5:
            raise Failure(f"note: signature by {sig_name} is too short")
        if sig_name != name or blob[:4] != key_id:
            continue  # an unknown key: ignored, as the spec requires
        if len(blob) != 4 + 64:
            raise Failure(f"note: signature by {name} is {len(blob) - 4} bytes, not 64")
        try:
            pub.verify(blob[4:], text.encode("utf-8"))
        except InvalidSignature:
            raise Failure(f"note: the signature by {name}+{key_id.hex()} does not verify")
        verified += 1
    if verified == 0:
        raise Failure(f"note: no signature by {name}+{key_id.hex()}")
    return name, text


def verify_cosignature(witness_vkey, note_bytes):
    """C2SP tlog-cosignature/v1 (Ed25519): the witness key is name+hexid+base64(0x04 || pubkey),
    key ID SHA-256(name || "\\n" || 0x04 || pubkey)[:4]; the line's blob is key ID || u64 BE
    timestamp || signature over "cosignature/v1\\ntime <t>\\n" + checkpoint text. -> timestamp."""
    parts = witness_vkey.strip("\n").split("+", 2)
    if len(parts) != 3 or not valid_key_name(parts[0]) or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
        raise Failure("witness key: want name+keyid+key")
    name, hex_id, b64key = parts
    raw = b64decode_strict(b64key, "witness key")
    if len(raw) != 33 or raw[0] != 0x04:
        raise Failure("witness key: want 0x04 followed by a 32-byte Ed25519 public key")
    key_id = bytes.fromhex(hex_id)
    if sha256(name.encode("utf-8") + b"\n" + raw)[:4] != key_id:
        raise Failure("witness key: key ID does not match the key")
    pub = Ed25519PublicKey.from_public_bytes(raw[1:])
    note = note_bytes.decode("utf-8", errors="strict")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise Failure("note: no blank line separating text and signatures")
    text, lines = note[:cut + 1], note[cut + 2:-1].split("\n")
    for line in lines:
        if not line.startswith(EM_DASH + " "):
            raise Failure(f"note: malformed signature line {line[:40]!r}")
        sig_name, sig_b64 = line[2:].split(" ", 1)
        blob = b64decode_strict(sig_b64, f"note: signature by {sig_name}")
        if sig_name != name or blob[:4] != key_id:
            continue
        if len(blob) != 4 + 8 + 64:
            raise Failure(f"cosignature by {name} is {len(blob) - 4} bytes, not 8 + 64")
        timestamp = int.from_bytes(blob[4:12], "big")
        message = f"cosignature/v1\ntime {timestamp}\n".encode("ascii") + text.encode("utf-8")
        try:
            pub.verify(blob[12:], message)
        except InvalidSignature:
            raise Failure(f"the cosignature by {name} does not verify")
        return timestamp
    raise Failure(f"no cosignature by {name}+{hex_id}")


def parse_checkpoint(text):
    """C2SP tlog-checkpoint body -> (origin, size, root bytes)."""
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise Failure("checkpoint: fewer than three lines")
    origin, size_text, root_b64 = lines[0], lines[1], lines[2]
    if origin == "":
        raise Failure("checkpoint: empty origin")
    if not DECIMAL.fullmatch(size_text):
        raise Failure(f"checkpoint: bad tree size {size_text!r}")
    root = b64decode_strict(root_b64, "checkpoint root")
    if len(root) != 32:
        raise Failure(f"checkpoint: root is {len(root)} bytes, not 32")
    for extra in lines[3:]:
        if extra == "":
            raise Failure("checkpoint: empty extension line")
    return origin, int(size_text), root


def verified_checkpoint(vkey, note_path):
    name, text = open_note(vkey, read_bytes(note_path))
    origin, size, root = parse_checkpoint(text)
    if origin != name:
        raise Failure(f"checkpoint: origin {origin!r} is not the key name {name!r}")
    return origin, size, root


# --- RFC 9162 Merkle tree ---------------------------------------------------------------------

def leaf_hash(leaf):
    return sha256(b"\x00" + leaf)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def mth(hashes):
    """RFC 9162 2.1.1 MTH over already-hashed leaves: split at the largest power of two < n."""
    n = len(hashes)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return hashes[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(hashes[:k]), mth(hashes[k:]))


def merkle_root(leaves):
    return mth([leaf_hash(x) for x in leaves])


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise Failure(f"{path}: {e.strerror}")


def read_lines(path, what):
    """One record per line; each line ends in a newline; no blank lines."""
    data = read_bytes(path)
    if data == b"":
        return []
    if not data.endswith(b"\n"):
        raise Failure(f"{what}: the last line has no newline (truncated?)")
    lines = data[:-1].split(b"\n")
    for i, line in enumerate(lines):
        if line == b"":
            raise Failure(f"{what}: line {i + 1} is empty")
    return lines


# --- entries ----------------------------------------------------------------------------------

def parse_leaf(line, index):
    where = f"leaf line {index + 1}"
    try:
        entry = json.loads(line.decode("utf-8", errors="strict"))
    except (UnicodeDecodeError, ValueError) as e:
        raise Failure(f"{where}: not JSON ({e})")
    if not isinstance(entry, dict):
        raise Failure(f"{where}: not a JSON object")
    if set(entry) != LEAF_FIELDS:
        raise Failure(f"{where}: fields {sorted(entry)} are not {sorted(LEAF_FIELDS)}")
    if entry["v"] != 1 or isinstance(entry["v"], bool):
        raise Failure(f"{where}: unknown version v={entry['v']!r}")
    seq = entry["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq != index:
        raise Failure(f"{where}: seq is {seq!r}, want {index}")
    for field in ("body_sha256", "prev"):
        if not isinstance(entry[field], str) or not HEX64.match(entry[field]):
            raise Failure(f"seq {seq}: {field} is not 64 lowercase hex digits")
    if not isinstance(entry["kind"], str) or not KIND.match(entry["kind"]):
        raise Failure(f"seq {seq}: bad kind {entry['kind']!r}")
    if not isinstance(entry["signer"], str) or not SIGNER.match(entry["signer"]):
        raise Failure(f"seq {seq}: bad signer name {entry['signer']!r}")
    if not isinstance(entry["time"], str):
        raise Failure(f"seq {seq}: time is not a string")
    entry["sig_bytes"] = b64decode_strict(entry["sig"], f"seq {seq}: sig")
    if len(entry["sig_bytes"]) != 64:
        raise Failure(f"seq {seq}: sig is {len(entry['sig_bytes'])} bytes, not 64")
    return entry


def load_public_key(pubdir, signer, cache):
    if signer not in cache:
        path = os.path.join(pubdir, signer + ".pub")
        pem = read_bytes(path)
        try:
            key = load_pem_public_key(pem)
        except ValueError as e:
            raise Failure(f"{path}: not a PEM public key ({e})")
        if not isinstance(key, Ed25519PublicKey):
            raise Failure(f"{path}: not an Ed25519 public key")
        cache[signer] = key
    return cache[signer]


def check_document(body, seq):
    """An archived page (disclosure-document/v1 or /v2): its content is the base64 of the bytes
    whose SHA-256 the body names, within the 3 MiB limit; a v2 page says how it was obtained, and
    a transcribed one is plain text."""
    try:
        doc = json.loads(body.decode("utf-8"))
        content = b64decode_strict(doc["content"], f"seq {seq}: content")
        named = doc["content_sha256"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise Failure(f"seq {seq}: document body has no base64 content and content_sha256")
    schema = doc.get("schema")
    if schema not in ("disclosure-document/v1", "disclosure-document/v2"):
        raise Failure(f"seq {seq}: document schema is {schema!r}")
    if schema == "disclosure-document/v2" and doc.get("capture") not in ("fetched", "transcribed"):
        raise Failure(f"seq {seq}: document capture is {doc.get('capture')!r}")
    if doc.get("capture") == "transcribed" and doc.get("media_type") != "text/plain":
        raise Failure(f"seq {seq}: a transcribed document is {doc.get('media_type')!r}, not text/plain")
    if not 0 < len(content) <= 3 * 1024 * 1024:
        raise Failure(f"seq {seq}: document content is {len(content)} bytes")
    if sha256(content).hex() != named:
        raise Failure(f"seq {seq}: SHA-256 of the document content is {sha256(content).hex()}, not content_sha256 {named}")


def check_signatures(export_path, bodies_path, pubdir):
    leaves = read_lines(export_path, "export")
    bodies = read_lines(bodies_path, "bodies")
    if len(leaves) != len(bodies):
        raise Failure(f"export has {len(leaves)} leaves but bodies has {len(bodies)} lines")
    keys = {}
    withheld = {}   # seq -> body_sha256 of entries exported with a null body
    notices = {}    # seq -> body_sha256 named by a signed withhold notice
    prev = ZERO_HASH_HEX
    for i, (line, body) in enumerate(zip(leaves, bodies)):
        entry = parse_leaf(line, i)
        seq = entry["seq"]
        if entry["prev"] != prev:
            raise Failure(f"seq {seq}: prev is {entry['prev']}, want {prev}")
        prev = leaf_hash(line).hex()
        if body == b"null":
            withheld[seq] = entry["body_sha256"]
        elif sha256(body).hex() != entry["body_sha256"]:
            raise Failure(f"seq {seq}: SHA-256 of the body is {sha256(body).hex()}, not body_sha256 {entry['body_sha256']}")
        message = CONTEXT + entry["kind"].encode("ascii") + b"\n" + bytes.fromhex(entry["body_sha256"])
        try:
            load_public_key(pubdir, entry["signer"], keys).verify(entry["sig_bytes"], message)
        except InvalidSignature:
            raise Failure(f"seq {seq}: the {entry['kind']} signature by {entry['signer']!r} does not verify")
        if entry["kind"] == "document" and body != b"null":
            check_document(body, seq)
        if entry["kind"] == "withhold" and body != b"null":
            try:
                notice = json.loads(body.decode("utf-8"))
                notices[notice["seq"]] = notice["body_sha256"]
            except (UnicodeDecodeError, ValueError, KeyError, TypeError):
                raise Failure(f"seq {seq}: withhold notice does not name a seq and body_sha256")
            if entry["signer"] != "log":
                raise Failure(f"seq {seq}: withhold notice signed by {entry['signer']!r}, not the log")
    for seq, digest in sorted(withheld.items()):
        if notices.get(seq) != digest:
            raise Failure(f"seq {seq}: body is null but no withhold notice names it with its body_sha256")
    return len(leaves), len(withheld)


# --- conformance vectors ----------------------------------------------------------------------

def selftest(directory):
    with open(os.path.join(directory, "rfc6962_basic.json")) as f:
        merkle = json.load(f)
    leaves = [bytes.fromhex(x) for x in merkle["leaves_hex"]]
    checked = 0
    for size, root in merkle["roots_hex_by_size"].items():
        if merkle_root(leaves[: int(size)]).hex() != root:
            raise Failure(f"selftest: root of size {size}")
        checked += 1
    if merkle_root([]).hex() != merkle["empty_root_hex"]:
        raise Failure("selftest: empty root")
    for level, row in enumerate(merkle["node_hashes_hex_by_level"]):
        for j, want in enumerate(row):
            span = leaves[j << level:(j + 1) << level]
            if merkle_root(span).hex() != want:
                raise Failure(f"selftest: node {level}/{j}")
            checked += 1

    with open(os.path.join(directory, "signed_notes.json"), encoding="utf-8") as f:
        notes = json.load(f)
    text = notes["text"]
    both = (text + "\n" + notes["peter_sig_line"] + notes["enoch_sig_line"]).encode("utf-8")
    for vkey in (notes["peter_vkey"], notes["enoch_vkey"]):
        if open_note(vkey, both)[1] != text:
            raise Failure(f"selftest: note under {vkey}")
        checked += 1
    for bad in notes["bad_vkeys"]:
        expect_failure(lambda: parse_verifier_key(bad), f"bad key {bad}")
        checked += 1
    vkey = notes["peter_vkey"]
    for i in range(len(vkey)):  # every single-byte +1 mangling of a key is refused
        mangled = vkey[:i] + chr(ord(vkey[i]) + 1) + vkey[i + 1:]
        expect_failure(lambda: parse_verifier_key(mangled), f"mangled key {mangled}")
        checked += 1
    sig_b64 = notes["peter_sig_line"].split(" ")[2].strip()
    for i in range(len(sig_b64) - 1):  # every flipped signature character (not the padding)
        flipped = sig_b64[:i] + ("A" if sig_b64[i] != "A" else "B") + sig_b64[i + 1:]
        bad_note = (text + "\n" + EM_DASH + " PeterNeumann " + flipped + "\n").encode("utf-8")
        expect_failure(lambda: open_note(vkey, bad_note), f"flipped signature character {i}")
        checked += 1
    # The last data character of a 68-byte signature carries 2 unused bits; setting one changes
    # no decoded byte, and non-canonical base64 is refused all the same.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = sig_b64.rstrip("=")
    loose = last[:-1] + alphabet[alphabet.index(last[-1]) ^ 1] + sig_b64[len(last):]
    if base64.b64decode(loose) != base64.b64decode(sig_b64):
        raise Failure("selftest: the unused-bits case changed the decoded bytes")
    loose_note = (text + "\n" + EM_DASH + " PeterNeumann " + loose + "\n").encode("utf-8")
    expect_failure(lambda: open_note(vkey, loose_note), "non-canonical base64 signature")
    expect_failure(lambda: open_note(notes["enoch_vkey"], (text + "\n" + notes["peter_sig_line"]).encode()), "unknown key")
    for cp in notes["sumdb_checkpoints"]:
        name, body = open_note(notes["sumdb_vkey"], cp.encode("utf-8"))
        parse_checkpoint(body)
        checked += 1
    origin, size, root = parse_checkpoint(notes["go_tree_note_body"])
    if size != 123456789012 or root != leaf_hash(b"hello world"):
        raise Failure("selftest: go tree note body")
    return checked + 1


def expect_failure(fn, what):
    try:
        fn()
    except Failure:
        return
    raise Failure(f"selftest: {what} was accepted")


# --- command line -----------------------------------------------------------------------------

def b64(raw):
    return base64.b64encode(raw).decode("ascii")


# --- static publication (C2SP tlog-tiles, plus body bundles) -----------------------------------

def tile_index_path(n):
    """C2SP tlog-tiles index: groups of 3 digits, all but the last prefixed with x."""
    text = f"{n:03d}"
    if len(text) % 3:
        text = "0" * (3 - len(text) % 3) + text
    groups = [text[i:i + 3] for i in range(0, len(text), 3)]
    return "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])


def fetch(base, path):
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(base.rstrip("/") + "/" + path, timeout=30) as reply:
            return reply.read()
    except urllib.error.URLError as e:
        raise Failure(f"GET {path}: {e}")


def split_bundle(data, prefix, what):
    """Length-prefixed records (big-endian, `prefix` bytes each)."""
    items, i = [], 0
    while i < len(data):
        if i + prefix > len(data):
            raise Failure(f"{what}: truncated length")
        n = int.from_bytes(data[i:i + prefix], "big")
        if i + prefix + n > len(data):
            raise Failure(f"{what}: truncated record")
        items.append(data[i + prefix:i + prefix + n])
        i += prefix + n
    return items


def check_static(vkey, base):
    name, text = open_note(vkey, fetch(base, "checkpoint"))
    origin, size, root = parse_checkpoint(text)
    if origin != name:
        raise Failure(f"checkpoint: origin {origin!r} is not the key name {name!r}")
    hashes, bodies = [], 0
    for n in range((size + 255) // 256):
        width = min(256, size - n * 256)
        suffix = tile_index_path(n) + ("" if width == 256 else f".p/{width}")
        leaves = split_bundle(fetch(base, "tile/entries/" + suffix), 2, f"entry bundle {n}")
        tile = fetch(base, "tile/0/" + suffix)
        records = split_bundle(fetch(base, "bodies/" + suffix), 4, f"body bundle {n}")
        if len(leaves) != width or len(tile) != 32 * width or len(records) != width:
            raise Failure(f"bundle {n}: {len(leaves)} leaves, {len(tile) // 32} hashes, {len(records)} bodies for width {width}")
        for i, leaf in enumerate(leaves):
            h = leaf_hash(leaf)
            if h != tile[32 * i:32 * i + 32]:
                raise Failure(f"entry {n * 256 + i}: its leaf does not hash to its tile's hash")
            hashes.append(h)
            body = records[i]
            if body:
                if sha256(body).hex() != json.loads(leaf)["body_sha256"]:
                    raise Failure(f"entry {n * 256 + i}: the published body does not hash to its leaf's body_sha256")
                bodies += 1
    if mth(hashes) != root:
        raise Failure(f"the published tiles give root {b64(mth(hashes))}, the checkpoint {b64(root)}")
    return size, bodies, check_listed_checkpoints(vkey, base, size, hashes)


def check_listed_checkpoints(vkey, base, size, hashes):
    """Every size in checkpoints/sizes/<N> up to `size`: ascending, in its listing's span, the
    latest size among them, and each checkpoints/<size> a note under `vkey` whose root is the root
    of the first `size` leaves recomputed here. Returns how many were checked."""
    span, listed = 65536, []
    for n in range(size // span + 1):
        text = fetch(base, "checkpoints/sizes/" + tile_index_path(n)).decode("ascii")
        if text and not text.endswith("\n"):
            raise Failure(f"listing {n}: does not end with a newline")
        sizes = [int(line) for line in text.split("\n")[:-1]] if text else []
        if sizes != sorted(set(sizes)) or any(not (n * span <= s < (n + 1) * span) for s in sizes):
            raise Failure(f"listing {n}: sizes out of order or outside its span")
        listed += [s for s in sizes if s <= size]
    if size not in listed:
        raise Failure(f"the checkpoint's size {size} is not listed in checkpoints/sizes/")
    for s in listed:
        _, text = open_note(vkey, fetch(base, f"checkpoints/{s}"))
        _, at, at_root = parse_checkpoint(text)
        if at != s or at_root != mth(hashes[:s]):
            raise Failure(f"checkpoints/{s}: size {at} and root {b64(at_root)} are not the tree's at size {s}")
    return len(listed)


def main(argv):
    usage = {"note": 2, "root": 1, "checkpoint": 3, "signatures": 3, "selftest": 1, "cosignature": 2, "static": 2}
    if len(argv) < 1 or argv[0] not in usage or len(argv) - 1 != usage[argv[0]]:
        sys.stderr.write("usage: independent_verify.py SUBCOMMAND ARGS\n  " + __doc__.split("\n\n  ", 1)[1])
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd in ("note", "checkpoint"):
        origin, size, root = verified_checkpoint(args[0], args[1])
        if cmd == "checkpoint":
            leaves = read_lines(args[2], "export")
            if len(leaves) != size:
                raise Failure(f"checkpoint size {size} but the export has {len(leaves)} leaves")
            computed = merkle_root(leaves)
            if computed != root:
                raise Failure(f"checkpoint root {b64(root)} but the export's root is {b64(computed)}")
        print(origin)
        print(size)
        print(b64(root))
    elif cmd == "root":
        print(b64(merkle_root(read_lines(args[0], "export"))))
    elif cmd == "signatures":
        count, withheld = check_signatures(*args)
        print(f"{count} entries checked, {withheld} bodies withheld")
    elif cmd == "cosignature":
        print(verify_cosignature(args[0], read_bytes(args[1])))
    elif cmd == "static":
        size, bodies, checkpoints = check_static(args[0], args[1])
        print(f"{size} entries checked against the checkpoint, {bodies} bodies, {checkpoints} listed checkpoints")
    elif cmd == "selftest":
        print(f"{selftest(args[0])} vectors checked")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Failure as e:
        sys.stderr.write(f"FAILED: {e}\n")
        sys.exit(1)
    except Exception as e:  # a bug here must not pass for a refusal
        sys.stderr.write(f"INTERNAL ERROR: {type(e).__name__}: {e}\n")
        sys.exit(3)
