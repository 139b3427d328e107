#!/usr/bin/env python3
"""Generates src/screening/fold_table.inc, the character table of the
screening normaliser (src/screening/normalize.cc).

For every code point the table says what the normaliser emits:
  * NFKC (full-width ASCII, compatibility ideographs, circled and
    mathematical letters, Kangxi radicals ...), then lower case;
  * Latin letters lose their accents (Hermès -> hermes);
  * Cyrillic/Greek/small-capital letters that look like Latin letters, and
    regional-indicator / squared letters, become those Latin letters, and l
    becomes i (l, I and 1 look alike);
  * traditional -> simplified, character by character, from OpenCC's
    TSCharacters dictionary (first candidate, applied until it stops
    changing) plus a short list of variants OpenCC leaves alone (倣 -> 仿);
  * anything that is not a letter or a number (spaces, punctuation, symbols,
    emoji, marks, controls, unassigned), and CJK strokes used as separators
    (丨 丶 丿 ...), is dropped, except ':'-like
    characters, which the normaliser keeps between two digits (1:1).

Run it when OpenCC or Python's Unicode data changes:
  tools/gen_fold_table.py > src/screening/fold_table.inc
It needs the `opencc` package (opencc_dict and /usr/share/opencc/*.ocd2).
"""
import os
import subprocess
import sys
import tempfile
import unicodedata

OPENCC_DIR = "/usr/share/opencc"

# Variant forms that OpenCC's t2s leaves alone (DESIGN.md: 倣 for 仿) but
# sellers use in place of the common character.
EXTRA_T2S = {"倣": "仿", "彷": "仿", "貭": "质", "菓": "果", "柺": "拐", "衞": "卫",
             "綫": "线", "衆": "众", "鎗": "枪", "箇": "个", "喫": "吃", "蹟": "迹"}

COLONS = set(":：︰︓∶꞉ː﹕")

# Letters that sellers type as separators (耐丨克): CJK stroke radicals and a
# bopomofo letter that look like | , / \ and -. No word of a listing needs them.
SEPARATOR_LETTERS = set("丨丶丿乀乁亅〡ㄧ")

CONFUSABLES = {
    # l looks like I (and 1): both fold to i, in listings and patterns alike
    # (NlKE = NIKE). The digits 0 and 1 are folded in normalize.cc, only
    # between letters, so that 双11 stays 11.
    "l": "i",
    # Cyrillic (after lower case)
    "а": "a", "е": "e", "ё": "e", "к": "k", "о": "o", "р": "p", "с": "c", "у": "y",
    "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q",
    "ԝ": "w", "в": "b", "м": "m", "н": "h", "т": "t",
    # Greek
    "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
    # small capitals and similar IPA letters
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h",
    "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p",
    "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
}
# Regional indicators and squared/negative letters: 🇳🇮🇰🇪, 🅽🅸🅺🅴.
for base in (0x1F1E6, 0x1F130, 0x1F150, 0x1F170):
    for i in range(26):
        CONFUSABLES[chr(base + i)] = chr(ord("a") + i)

MAX_EXPANSION = 4


def load_ts():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "ts.txt")
        subprocess.run(["opencc_dict", "-i", os.path.join(OPENCC_DIR, "TSCharacters.ocd2"),
                        "-o", out, "-f", "ocd2", "-t", "text"], check=True)
        table = {}
        with open(out, encoding="utf-8") as f:
            for line in f:
                key, _, values = line.rstrip("\n").partition("\t")
                first = values.split(" ")[0]
                if len(key) == 1 and len(first) == 1 and key != first:
                    table[key] = first
    table.update(EXTRA_T2S)
    return table


def is_latin(c):
    o = ord(c)
    return 0xC0 <= o <= 0x24F or 0x1E00 <= o <= 0x1EFF


def fold(ch, ts):
    if ch in SEPARATOR_LETTERS:
        return ""
    s = unicodedata.normalize("NFKC", ch)
    s = unicodedata.normalize("NFKC", s.lower())
    out = []
    for c in s:
        if is_latin(c):
            base = "".join(d for d in unicodedata.normalize("NFD", c)
                           if not unicodedata.category(d).startswith("M"))
            c = base or c
        for _ in range(3):  # chains: ʟ -> l -> i
            c = "".join(CONFUSABLES.get(x, x) for x in c)
        for sub in c:
            for _ in range(4):
                sub = ts.get(sub, sub)
            if sub in SEPARATOR_LETTERS:
                continue
            if sub in COLONS or ch in COLONS:
                out.append(":")
            elif unicodedata.category(sub)[0] in "LN":
                out.append(sub.lower())
    return "".join(out)


def main():
    ts = load_ts()
    drops = []      # [start, end] inclusive
    singles = []    # (cp, to)
    multis = []     # (cp, [to...])
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if ch in COLONS:
            continue  # handled in code: kColon
        folded = fold(ch, ts)
        # The normaliser must be idempotent: patterns are normalised once and
        # listings once, and both must land on the same form.
        if "".join(fold(c, ts) if c != ":" else c for c in folded) != folded:
            sys.exit("not idempotent: U+%04X -> %r" % (cp, folded))
        if folded == ch:
            continue
        if folded == "":
            if drops and drops[-1][1] == cp - 1:
                drops[-1][1] = cp
            elif drops and drops[-1][1] == cp - 2 and 0xD800 <= cp - 1 <= 0xDFFF:
                drops[-1][1] = cp
            else:
                drops.append([cp, cp])
        elif len(folded) == 1:
            singles.append((cp, ord(folded)))
        elif len(folded) <= MAX_EXPANSION:
            multis.append((cp, [ord(c) for c in folded]))
        # longer expansions (e.g. U+FDFA) stay as they are
    growth = max([len(chr(t).encode()) / len(chr(c).encode()) for c, t in singles] +
                 [len("".join(map(chr, t)).encode()) / len(chr(c).encode()) for c, t in multis])
    if growth > 4:
        sys.exit("a character grows more than 4 times: normalize.cc sizes its buffer for 4")
    w = sys.stdout.write
    w("// Generated by tools/gen_fold_table.py from Python %s Unicode %s data and\n"
      "// OpenCC TSCharacters (%d entries). Do not edit by hand.\n"
      % (sys.version.split()[0], unicodedata.unidata_version, len(ts)))
    w("// clang-format off\n")
    w("constexpr CodeRange kDropRanges[] = {\n")
    for i in range(0, len(drops), 6):
        w("  " + " ".join("{0x%X, 0x%X}," % (a, b) for a, b in drops[i:i + 6]) + "\n")
    w("};\n")
    w("constexpr SingleFold kSingleFolds[] = {\n")
    for i in range(0, len(singles), 6):
        w("  " + " ".join("{0x%X, 0x%X}," % p for p in singles[i:i + 6]) + "\n")
    w("};\n")
    w("constexpr MultiFold kMultiFolds[] = {\n")
    for cp, to in multis:
        padded = to + [0] * (MAX_EXPANSION - len(to))
        w("  {0x%X, %d, {%s}},\n" % (cp, len(to), ", ".join("0x%X" % c for c in padded)))
    w("};\n")
    w("constexpr char32_t kColons[] = {%s};\n" % ", ".join("0x%X" % ord(c) for c in sorted(COLONS)))
    w("// clang-format on\n")


if __name__ == "__main__":
    main()
