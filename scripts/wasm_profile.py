"""Groups twiggy's list of a wasm's functions (CSV from `twiggy top -f csv`) by whose code it is.

scripts/wasm-profile.sh runs it. Each function is charged to a part of the core: its own
functions (`usnlab::model::world::World::process` to `model`), and the library code compiled
for it (`Vec::from_iter` over a `usnlab::model::world` closure, also to `model`, as
"instantiated"). What mentions no part of the core is charged to its crate (core, alloc,
wasm_bindgen, ...). A second table charges the same bytes by kind (serde, Clone, iterators and
`Vec`s, formatting, the binding's glue), and the largest functions follow.
"""
import csv
import re
import sys
from collections import Counter

HASH = re.compile(r"\[[0-9a-f]{16}\]")
PART = re.compile(r"usnlab::(\w+)")
KINDS = [
    ("serde Serialize/Serializer", re.compile(r"serde|Serialize")),
    ("Clone", re.compile(r"Clone|::clone")),
    ("iterators and Vec/String building", re.compile(r"^<?(alloc::vec|alloc::string|core::iter|alloc::raw_vec)|FromIterator|SpecFrom|SpecExtend")),
    ("VecMap", re.compile(r"vecmap::VecMap")),
    ("formatting", re.compile(r"core::fmt|alloc::fmt|Display")),
    ("wasm-bindgen, js-sys, web-sys", re.compile(r"wasm_bindgen|js_sys|web_sys|__wbg")),
    ("drop", re.compile(r"drop_in_place|Drop>::drop")),
]


def kb(n):
    return f"{n / 1024:7.1f} KB"


def main(path):
    rows = [(HASH.sub("", r["Name"]), int(r["ShallowSize"])) for r in csv.DictReader(open(path))]
    code = [(n, b) for n, b in rows if not n.startswith(("data[", '"function names"', "custom section"))]
    data = sum(b for n, b in rows if n.startswith("data["))
    total = sum(b for _, b in code)
    own, inst, kind = Counter(), Counter(), Counter()
    for name, size in code:
        parts = PART.findall(name)
        if name.lstrip("<").startswith("usnlab::"):
            own[parts[0]] += size
        elif parts:
            inst[parts[-1]] += size
        else:
            crate = re.match(r"[<&\[(\s]*(?:mut |dyn )?(\w+)", name)
            inst["(" + (crate.group(1) if crate else "other") + ")"] += size
        kind[next((k for k, p in KINDS if p.search(name)), "the rest")] += size
    print(f"code {kb(total)} in {len(code)} functions, data {kb(data)} (before wasm-opt)\n")
    print(f"{'part':<22}{'own':>11}{'instantiated':>14}{'share':>8}")
    for part in sorted(set(own) | set(inst), key=lambda p: -(own[p] + inst[p])):
        both = own[part] + inst[part]
        if both >= total / 200:
            print(f"{part:<22}{kb(own[part])}{kb(inst[part]):>14}{100 * both / total:7.1f}%")
    print(f"\n{'kind':<36}{'bytes':>11}{'share':>8}")
    for k, size in kind.most_common():
        print(f"{k:<36}{kb(size)}{100 * size / total:7.1f}%")
    print("\nlargest functions:")
    for name, size in sorted(code, key=lambda x: -x[1])[:15]:
        print(f"{size:7d}  {name[:110]}")


if __name__ == "__main__":
    main(sys.argv[1])
