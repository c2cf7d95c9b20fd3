import pytest

from geo.text import ABBREVIATIONS, normalize_place_text, strip_admin_words


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jl. Sudirman No. 12", "jalan sudirman no 12"),
        ("JLN. SUDIRMAN", "jalan sudirman"),
        ("Gg. Mawar", "gang mawar"),
        ("Kel. Bandar Utama, Kec. Rambutan", "kelurahan bandar utama kecamatan rambutan"),
        ("Kab. Serdang Bedagai", "kabupaten serdang bedagai"),
        ("Simp. Kayu Besar", "simpang kayu besar"),
        ("Simpang Empat", "simpang empat"),
        ("RSUD dr. H. Kumpulan Pane", "rumah sakit umum daerah dr h kumpulan pane"),
        ("RSU Sri Pamela", "rumah sakit umum sri pamela"),
        ("RS Bhayangkara", "rumah sakit bhayangkara"),
        ("PKM Rantau Laban", "puskesmas rantau laban"),
        ("Puskes Satria", "puskesmas satria"),
        ("Pustu Tualang", "puskesmas pembantu tualang"),
        ("Polsek Padang Hulu", "polsek padang hulu"),
        ("Polres Tebing Tinggi", "polres tebing tinggi"),
        ("Damkar Kota Tebing Tinggi", "pemadam kebakaran kota tebing tinggi"),
        ("SMP Negeri 1", "smp negeri 1"),
    ],
)
def test_abbreviations(raw: str, expected: str) -> None:
    assert normalize_place_text(raw) == expected


def test_abbreviations_only_match_whole_tokens() -> None:
    # "Jlg" and "Ggg" are not abbreviations; "rs" inside "Perseroan" must stay.
    assert normalize_place_text("Jlg Ggg Perseroan") == "jlg ggg perseroan"


def test_accents_are_stripped() -> None:
    assert normalize_place_text("Jalan Cut Nyak Dhién") == "jalan cut nyak dhien"
    assert normalize_place_text("Café Ñusa") == "cafe nusa"


def test_punctuation_becomes_space_and_whitespace_collapses() -> None:
    assert normalize_place_text("  Jl.Gatot-Subroto,\tNo.5 / (depan  pasar) ") == (
        "jalan gatot subroto no 5 depan pasar"
    )


def test_apostrophes_join_the_word() -> None:
    assert normalize_place_text("Masjid Jum'at") == normalize_place_text("Masjid Jumat")
    assert normalize_place_text("Jl. Ma’ruf") == "jalan maruf"


def test_spellings_converge() -> None:
    variants = ["Jl. Sudirman", "JLN SUDIRMAN", "jalan  sudirman", "Jalan Sudirman."]
    assert {normalize_place_text(v) for v in variants} == {"jalan sudirman"}


def test_empty_and_punctuation_only() -> None:
    assert normalize_place_text("") == ""
    assert normalize_place_text(" .,-/ ") == ""


def test_normalising_twice_changes_nothing() -> None:
    # An expansion containing another abbreviation would make stored and searched text drift.
    for key, value in ABBREVIATIONS.items():
        assert normalize_place_text(key) == value
        assert normalize_place_text(value) == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kel. Bandar Utama", "bandar utama"),
        ("Kelurahan Bandar Utama", "bandar utama"),
        ("Kecamatan Padang Hulu", "padang hulu"),
        ("Kec. Padang Hulu", "padang hulu"),
        ("Desa Paya Lombang", "paya lombang"),
        ("Kota Tebing Tinggi", "tebing tinggi"),
        ("KOTA Tebing Tinggi", "tebing tinggi"),
        ("Bandar Utama", "bandar utama"),
        ("Tebing Tinggi Kota", "tebing tinggi kota"),
        ("Kota", "kota"),
    ],
)
def test_strip_admin_words(raw: str, expected: str) -> None:
    assert strip_admin_words(raw) == expected
