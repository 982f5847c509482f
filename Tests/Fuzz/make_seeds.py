#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets into Tests/Fuzz/Corpus/<target>/seed-*.

The seeds come from the project's own documents (ledger/statements, docs/FORMAT.md examples,
Tests/LedgerCoreTests/Fixtures) plus a small log signed with fixed keys, so that the notes and
proofs targets start with valid signatures, cosignatures and audit states. The keys match the
ones FuzzSignedNote.swift derives: Ed25519 seeds of 32 bytes 0x4C ("fuzz.example/log") and
0x57 ("fuzz.example/witness"). Needs Python 3 and the `cryptography` package.
Usage: python3 Tests/Fuzz/make_seeds.py [OUT_DIR]   (default $FUZZ_BUILD/seeds, /tmp/ledger-fuzz/seeds)
Fuzz over them once (`fuzz-<target> -runs=0 $FUZZ_BUILD/corpus/<target> <seeds>/<target>`, or add
the directory to a run) and minimise into Tests/Fuzz/Corpus as README.md says.
"""
import base64, glob, hashlib, json, os, pathlib, re, struct, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(os.environ.get("FUZZ_BUILD", "/tmp/ledger-fuzz")) / "seeds"
FIX = ROOT / "Tests/LedgerCoreTests/Fixtures"

def b64(b): return base64.b64encode(b).decode()
def sha(b): return hashlib.sha256(b).digest()
def canon(v): return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

seeds = {t: {} for t in ["json", "tilepath", "notes", "proofs", "jsonl"]}
def add(target, name, data):
    if isinstance(data, str): data = data.encode()
    seeds[target][name] = data

# ---- keys and notes -------------------------------------------------------------------------
class Key:
    def __init__(self, seed_byte, name, alg):
        self.sk = Ed25519PrivateKey.from_private_bytes(bytes([seed_byte]) * 32)
        self.pub = self.sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.name, self.alg = name, alg
        self.id = sha(name.encode() + b"\n" + bytes([alg]) + self.pub)[:4]
    def text(self): return f"{self.name}+{self.id.hex()}+{b64(bytes([self.alg]) + self.pub)}"

LOG = Key(0x4C, "fuzz.example/log", 0x01)
WIT = Key(0x57, "fuzz.example/witness", 0x04)
ALICE = Key(0x41, "alice", 0x01)

def sign_note(text, key=LOG):
    return text + "\n" + f"\u2014 {key.name} {b64(key.id + key.sk.sign(text.encode()))}\n"

def cosign_line(text, t, key=WIT):
    msg = f"cosignature/v1\ntime {t}\n{text}".encode()
    return f"\u2014 {key.name} {b64(key.id + struct.pack('>Q', t) + key.sk.sign(msg))}\n"

# ---- Merkle (RFC 9162) ----------------------------------------------------------------------
def leaf_hash(b): return sha(b"\x00" + b)
def node(l, r): return sha(b"\x01" + l + r)
def split(n):
    k = 1
    while k * 2 < n: k *= 2
    return k
def mth(d):
    if not d: return sha(b"")
    if len(d) == 1: return leaf_hash(d[0])
    k = split(len(d)); return node(mth(d[:k]), mth(d[k:]))
def path(m, d):
    if len(d) <= 1: return []
    k = split(len(d))
    return path(m, d[:k]) + [mth(d[k:])] if m < k else path(m - k, d[k:]) + [mth(d[:k])]
def subproof(m, d, b):
    if m == len(d): return [] if b else [mth(d)]
    k = split(len(d))
    return subproof(m, d[:k], b) + [mth(d[k:])] if m <= k else subproof(m - k, d[k:], False) + [mth(d[:k])]
def edge(d):
    out, lo, n = [], 0, len(d)
    while lo < n:
        w = 1
        while w * 2 <= n - lo: w *= 2
        out.append(mth(d[lo:lo + w])); lo += w
    return out

# ---- bodies ---------------------------------------------------------------------------------
statements = []
for p in sorted(glob.glob(str(ROOT / "ledger/statements/*.json"))):
    raw = open(p, "rb").read()
    add("json", "raw-" + os.path.basename(p), raw)
    statements.append(canon(json.loads(raw)))
for i, c in enumerate(statements): add("json", f"canonical-statement-{i}.json", c)

fmt = (ROOT / "docs/FORMAT.md").read_text()
blocks, block = [], None
for line in fmt.splitlines(keepends=True):  # fenced code blocks
    if line.startswith("```"):
        if block is None: block = []
        else: blocks.append("".join(block)); block = None
    elif block is not None: block.append(line)
n = 0
for b in blocks:
    for doc in ([b] + b.splitlines()):
        doc = doc.strip()
        if doc.startswith("{") and "\u2026" not in doc:
            try: json.loads(doc)
            except ValueError: continue
            add("json", f"format-md-{n}.json", doc); n += 1
for m in re.finditer(r"Real example: `(\{.*?\})`", fmt):
    add("json", f"format-md-{n}.json", m.group(1)); n += 1

signer_body = canon({"action": "add", "name": "alice", "public_key": b64(ALICE.pub), "schema": "disclosure-signer/v1"})
withhold_body = canon({"body_sha256": sha(statements[0]).hex(), "reason": "court order 2026/123\nsecond line",
                       "schema": "disclosure-withhold/v1", "seq": 1})
response_body = canon({"language": "en", "reason": "disputed\tby the platform", "schema": "disclosure-response/v1",
                       "source": {"retrieved_at": "2020-01-01T00:00:00Z", "sha256": "00" * 32, "title": "A report"},
                       "stance": "dispute", "target": {"leaf_hash": "ab" * 32, "seq": 1}})
st = json.loads(statements[1]); st["supersedes"] = {"kind": "amendment", "leaf_hash": "cd" * 32, "seq": 2}
st["period"] = {"start": "2018-01-01", "end": "2018-12-31"}
amend_body = canon(st)
for name, b in [("signer", signer_body), ("withhold", withhold_body), ("response", response_body), ("amendment", amend_body)]:
    add("json", f"body-{name}.json", b)
add("json", "pretty-response.json", json.dumps(json.loads(response_body), indent=2).encode())
# Edge spellings the strict parser accepts or refuses.
for i, s in enumerate([
    '{"a":"\\u00e9\\ud83d\\ude00\\n\\/\\u001F","b":[1,-2,null,true,false,0,-0],"c":{},"d":[]}',
    '{"z":1,"a":{"y":[[[[["deep"]]]]]}}', '9007199254740991', '-9007199254740992', '"\\ud800"', '{"a":1,"a":2}',
    '\ufeff{}', '[1.5]', '{"\ue000":1,"\U0001f600":2}', ' [ "tab\\t" , "ctl\\u0000" ] ',
]):
    add("json", f"edge-{i}.json", s)
for f in ["rfc6962_basic.json", "signed_notes.json"]:
    add("json", "fixture-" + f, (FIX / f).read_bytes())

# ---- a small log: leaves, checkpoints, proofs, receipts, audit state --------------------------
bodies = [signer_body] + statements + [withhold_body, response_body]
leaves, prev = [], b"\x00" * 32
for seq, body in enumerate(bodies):
    kind = json.loads(body)["schema"].split("-")[1].split("/")[0]
    leaf = canon({"body_sha256": sha(body).hex(), "kind": kind, "prev": prev.hex(), "seq": seq,
                  "sig": b64(ALICE.sk.sign(b"x")), "signer": "log" if seq == 0 else "alice",
                  "time": f"2026-11-25T08:00:{seq:02d}.123Z", "v": 1})
    leaves.append(leaf); prev = leaf_hash(leaf)
N = len(leaves)
def cp_text(n, key=LOG, ext=()): return f"{key.name}\n{n}\n{b64(mth(leaves[:n]))}\n" + "".join(e + "\n" for e in ext)
notes = {n: sign_note(cp_text(n)) for n in (0, 1, 4, N)}
cosigned = notes[N] + cosign_line(cp_text(N), 1764057600)
for n, note in notes.items(): add("notes", f"log-checkpoint-{n}.txt", note)
add("notes", "log-checkpoint-cosigned.txt", cosigned)
add("notes", "log-checkpoint-ext.txt", sign_note(cp_text(3, ext=["extension line one", "\u00e9xt 2"])))
add("notes", "two-signers.txt", notes[4] + f"\u2014 alice {b64(ALICE.id + ALICE.sk.sign(cp_text(4).encode()))}\n")
for k in (LOG, WIT, ALICE): add("notes", f"vkey-{k.name.replace('/', '_')}.txt", k.text())
LOG_SEED = b64(bytes([1]) + b"L" * 32)
add("notes", "skey-log.txt", f"PRIVATE+KEY+{LOG.name}+{LOG.id.hex()}+{LOG_SEED}")

def inclusion_doc(i, n):
    return {"format": "disclosure-proof/v1", "inclusion_path": [b64(h) for h in path(i, leaves[:n])],
            "leaf_hash": b64(leaf_hash(leaves[i])), "leaf_index": i, "origin": LOG.name,
            "root": b64(mth(leaves[:n])), "tree_size": n, "type": "inclusion"}
def consistency_doc(m, n):
    return {"consistency_path": [b64(h) for h in (subproof(m, leaves[:n], True) if m > 0 else [])],
            "format": "disclosure-proof/v1", "origin": LOG.name, "root_1": b64(mth(leaves[:m])),
            "root_2": b64(mth(leaves[:n])), "tree_size_1": m, "tree_size_2": n, "type": "consistency"}
for i, n in [(2, N), (0, 1), (N - 1, N), (3, 4)]: add("proofs", f"inclusion-{i}-{n}.json", canon(inclusion_doc(i, n)))
for m, n in [(4, N), (0, N), (N, N), (3, 7), (1, 2)]:
    if n <= N: add("proofs", f"consistency-{m}-{n}.json", canon(consistency_doc(m, n)))
for seq, note, tag in [(2, notes[N], "body"), (N - 1, cosigned, "cosigned")]:
    r = {"checkpoint": note, "format": "disclosure-receipt/v1", "inclusion_proof": inclusion_doc(seq, N),
         "leaf": leaves[seq].decode()}
    if tag == "body": r["body"] = bodies[seq].decode()
    add("proofs", f"receipt-{seq}-{tag}.json", canon(r) + b"\n")
for n, note, tag in [(N, notes[N], ""), (4, notes[4], ""), (0, notes[0], ""), (N, cosigned, "-cosigned")]:
    state = {"checkpoint": note, "format": "disclosure-audit-state/v1",
             "last_leaf_hash": b64(leaf_hash(leaves[n - 1]) if n else b"\x00" * 32),
             "last_time": f"2026-11-25T08:00:{max(n - 1, 0):02d}.123Z" if n else "1970-01-01T00:00:00.000Z",
             "log_key": LOG.text(), "revoked": [{"name": "bob", "seq": 3}] if n else [],
             "right_edge": [b64(h) for h in edge(leaves[:n])],
             "signers": [{"name": "alice", "public_key": b64(ALICE.pub)}] if n else [], "size": n}
    add("proofs", f"audit-state-{n}{tag}.json", canon(state) + b"\n")
# Real documents from docs/FORMAT.md §16-18 (those printed whole).
for b in blocks:
    b = b.strip()
    if b.startswith("{") and ('"format":"disclosure-' in b) and "\u2026" not in b:
        add("proofs", f"format-md-{hashlib.sha1(b.encode()).hexdigest()[:8]}.json", b + "\n")
# transparency-dev conformance probes as disclosure-proof documents.
td = FIX / "transparency-dev-merkle/testdata"
for p in sorted(td.glob("inclusion/*/happy-path.json")):
    v = json.loads(p.read_text())
    add("proofs", f"tdev-incl-{p.parent.name}.json", canon({"format": "disclosure-proof/v1", "inclusion_path": v["proof"] or [],
        "leaf_hash": v["leafHash"], "leaf_index": v["leafIdx"], "origin": "tdev", "root": v["root"], "tree_size": v["treeSize"], "type": "inclusion"}))
for p in sorted(td.glob("consistency/*/happy-path.json")):
    v = json.loads(p.read_text())
    add("proofs", f"tdev-cons-{p.parent.name}.json", canon({"consistency_path": v["proof"] or [], "format": "disclosure-proof/v1",
        "origin": "tdev", "root_1": v["root1"], "root_2": v["root2"], "tree_size_1": v["size1"], "tree_size_2": v["size2"], "type": "consistency"}))

# ---- notes and keys from the fixtures and FORMAT.md ------------------------------------------
sn = json.loads((FIX / "signed_notes.json").read_text())
add("notes", "peter-note.txt", sn["text"] + "\n" + sn["peter_sig_line"])
add("notes", "peter-enoch-note.txt", sn["text"] + "\n" + sn["peter_sig_line"] + sn["enoch_sig_line"])
for i, c in enumerate(sn["sumdb_checkpoints"]): add("notes", f"sumdb-{i}.txt", c)
add("notes", "c2sp-checkpoint.txt", sn["c2sp_checkpoint_example"])
add("notes", "c2sp-note.txt", sn["c2sp_signed_note_example"])
add("notes", "go-tree-body.txt", sn["go_tree_note_body"])
for k in ["peter_vkey", "enoch_vkey", "sumdb_vkey", "peter_skey"]: add("notes", f"{k}.txt", sn[k])
for i, k in enumerate(sn["bad_vkeys"]): add("notes", f"bad_vkey-{i}.txt", k)
for m in re.finditer(r'"checkpoint":"(example\.org/proofs\\n.*?)"', fmt):
    add("notes", "format-md-note.txt", json.loads('"' + m.group(1) + '"'))
m = re.search(r"Real note \(size 2\):\n\n```\n(.*?)```", fmt, re.S)
if m: add("notes", "format-md-note2.txt", m.group(1))
for i, k in enumerate(["example.org/x+18014980+Af6cMNy/AhgMGaFufobTGSQFID/wHQSgFlz/Vbo/LMJP",
                       "example.org/proofs+721cd784+AZ5pWqXctR/LFfLfSeS9/ONUW2AXxpdICJcYQqUe+7eh"]):
    add("notes", f"format-md-vkey-{i}.txt", k)

# ---- tile paths (the part after tile/) -------------------------------------------------------
for i, p in enumerate(["0/000", "0/x001/x234/067.p/8", "entries/002.p/88", "1/000.p/2", "entries/000", "0/001",
                       "63/x009/x223/x372/x036/x854/x775/807", "0/5", "0/0005", "0/x000/005", "tile/0/002.p/255",
                       "00/000", "0/000.p/0", "64/000", "entries/x999/999.p/1"]):
    add("tilepath", f"path-{i}.txt", p)

# ---- JSON Lines batches ----------------------------------------------------------------------
add("jsonl", "statements.jsonl", b"\n".join(statements) + b"\n")
add("jsonl", "mixed-blank-crlf.jsonl", b"\n\n" + statements[0] + b"\r\n  \t\r\n" + response_body + b"\n" + amend_body)
add("jsonl", "bodies.jsonl", b"\n".join([signer_body, withhold_body, response_body, b"", b"{}", b"not json"]))
add("jsonl", "pretty-then-line.jsonl", json.dumps(json.loads(statements[2])).encode() + b"\n" + statements[3] + b"\n\n")
add("jsonl", "one.jsonl", statements[4])

for t, files in seeds.items():
    d = OUT / t
    d.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (d / ("seed-" + name)).write_bytes(data)
    print(f"{t}: {len(files)} seeds, {sum(map(len, files.values()))} bytes")
