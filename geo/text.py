"""Indonesian place names reduced to one comparable spelling for fuzzy matching."""

from __future__ import annotations

import re
import unicodedata

# Whole-token abbreviations as dispatchers and callers write them. Left out on purpose:
# "dr" and "h" are titles inside names ("RSUD dr. H. Kumpulan Pane"); "polsek", "polres" and
# "kota" are already the words people search for; and "smp" is far more often a school
# ("SMP Negeri 1") than a simpang, so expanding it would break school landmarks.
ABBREVIATIONS: dict[str, str] = {
    "jl": "jalan",
    "jln": "jalan",
    "gg": "gang",
    "kel": "kelurahan",
    "kec": "kecamatan",
    "kab": "kabupaten",
    "simp": "simpang",
    "rsud": "rumah sakit umum daerah",
    "rsu": "rumah sakit umum",
    "rs": "rumah sakit",
    "pkm": "puskesmas",
    "puskes": "puskesmas",
    "pustu": "puskesmas pembantu",
    "damkar": "pemadam kebakaran",
    "psr": "pasar",
    "mesjid": "masjid",
}

ADMIN_WORDS = frozenset({"kelurahan", "kecamatan", "desa", "kota", "kabupaten"})

# Apostrophes join rather than split: "Jum'at" and "Jumat" are the same street.
_APOSTROPHES = re.compile(r"['’‘`´]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalize_place_text(text: str) -> str:
    """Lowercase, strip accents and punctuation, and expand common abbreviations."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", plain)).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def strip_admin_words(text: str) -> str:
    """Normalise `text` and drop leading words such as "kelurahan" or "kota".

    "Kel. Bandar Utama" and "Bandar Utama" then compare equal. A name that is nothing but
    admin words ("Kota") is kept whole rather than reduced to nothing.
    """
    words = normalize_place_text(text).split()
    start = 0
    while start < len(words) - 1 and words[start] in ADMIN_WORDS:
        start += 1
    return " ".join(words[start:])
