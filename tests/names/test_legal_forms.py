"""Long and short legal forms in many languages agree (rigour's organisation types, derived)."""

from __future__ import annotations

from importlib import resources

import polars as pl
import pytest

from screening.names import match_names, normalize_names
from screening.names.legal_forms import form_class, form_classes, form_label, own_spellings, spellings
from screening.names.single.forms import query_form
from tests.names.conftest import HAND_ONLY, both_paths, by_scorer, scoring

# query, listed name, whether they match at the default threshold
CASES = [
    ("Rheinmetall Aktiengesellschaft", "Rheinmetall AG", True),
    ("Muster Gesellschaft mit beschränkter Haftung", "Muster GmbH", True),
    ("Romstal Societatea cu Răspundere Limitată", "Romstal SRL", True),
    ("Акционерное общество Алмаз", "Almaz JSC", True),
    ("Акционерное общество Алмаз", "AO Almaz", True),
    ("Telefonica Sociedad Anónima", "Telefonica SA", True),
    ("Stroitel Limited Liability Company", "OOO Stroitel", True),
    ("Black Sea Bank", "Black Sea Trading GmbH", False),  # a form never stands for a name word
    # a form naming the business (a bank) stays in the name, so a misspelt one still meets it
    ("Joint Stock Commecrial Bank Rubleev", "JOINT STOCK COMMERCIAL BANK RUBLEV", True),
    # GLEIF's ELF forms (derived): Peru's S.A.C., the Gulf's ذ.م.م, Polish and Mexican forms
    ("Aviandina", "AVIANDINA S.A.C.", True),
    ("Aviandina Sociedad Anónima Cerrada", "AVIANDINA S.A.C.", True),
    ("Aviandina SAC", "AVIANDINA", True),  # SAC, written undotted
    ("K.A.S.", "AVIANDINA S.A.C.", False),  # the form's letters are no acronym of the name
    ("Al Noor ذ.م.م", "AL NOOR LLC", True),
    ("Alfa Spółka Komandytowa", "ALFA SP. K.", True),
    ("Nordic Timber SRLS", "NORDIC TIMBER S.R.L.S.", True),  # a form cut dotted is cut undotted too
    ("Pure and Simple Co", "PURE AND SIMPLE LTD", True),  # SIMPLE CO, an English ELF category, is no form
    ("Corporacion Handal S. de R.L.", "SUPERTIENDAS HANDAL S. DE R.L.", False),
]


@pytest.mark.parametrize(("query", "listed", "matched", "scorer"), by_scorer(CASES))
def test_long_and_short_forms(query: str, listed: str, matched: bool, scorer: str) -> None:
    watch = pl.DataFrame({"entity_id": ["e"], "name": [listed]})
    model, threshold = scoring(scorer, matched)
    hits = match_names(pl.DataFrame({"id": ["q"], "name": [query]}), watch, threshold=threshold, model=model)
    assert (hits.height == 1) == matched


def test_derived_forms_keep_the_projects_classes() -> None:
    classes = form_class()
    assert classes["AKTIENGESELLSCHAFT"] == classes["AG"] == "JSC"
    assert classes["LIMTED"] == classes["LTD"]  # a misspelt short form takes the short form's class
    assert "BANK" not in {w for s in own_spellings() for w in s.split()}
    assert len(spellings()) > 2 * len(own_spellings())


# ELF spellings new to the tables and the class that makes them agree with the forms they are
ELF_CLASSES = [
    ("S A C", "JSC"),  # Sociedad Anónima Cerrada, a closed joint-stock company
    ("SOCIEDAD ANONIMA CERRADA", "JSC"),
    ("DH M M", "LLC"),  # ذ.م.م
    ("AL SHRKH DHT AL MSUWLYH AL MHDWDH", "LLC"),
    ("SPOLKA KOMANDYTOWA", "LP"),
    ("PARTNERSCHAFTSGESELLSCHAFT", "PARTG"),  # no class names it: one of its own
    ("KOMMANDITAKTIENGESELLSCHAFT", "LP"),
    ("E I R L", "LLC"),
    ("DRUSTVO SO OGRANICENA ODGVORNOST", "LLC"),
]


@pytest.mark.parametrize(("spelling", "cls"), ELF_CLASSES)
def test_elf_spellings_have_their_class(spelling: str, cls: str) -> None:
    assert form_class()[spelling] == cls


def test_each_elf_label_is_one_class() -> None:
    elf = pl.read_csv(resources.files("screening.data").joinpath("legal_forms_elf.csv").read_bytes())
    labels = form_label()
    classes = pl.DataFrame({"label": [labels[s] for s in form_class()], "class": list(form_class().values())})
    per_label = (
        classes.filter(pl.col("label").is_in(elf["label"].implode())).group_by("label").agg(pl.col("class").n_unique())
    )
    assert per_label["class"].max() == 1


# spellings of one form agree, of unrelated forms differ
SAME_FORM = [
    ("SRLS", "S R L S", True),
    ("SAPI", "S A P I", True),
    ("SOC NOM COLLECTIF", "SOCIETE EN NOM COLLECTIF", True),
    ("SOCIETA SEMPLICE", "SAAKTSIO SAZOGADOEBA", False),  # both SS: an Italian partnership, a Georgian JSC
    ("VENNOOTSCHAP ONDER EEN FIRMA", "EINZELUNTERNEHMEN", False),
    # one form in rigour, ELF and the project's table: one class (a general partnership, a KK a joint-stock company)
    ("VENNOOTSCHAP ONDER FIRMA", "VENNOOTSCHAP ONDER EEN FIRMA", True),
    ("VENNOOTSCHAP ONDER FIRMA", "OFFENE HANDELSGESELLSCHAFT", True),
    ("SOCIETE EN NOM COLLECTIF", "SOCIETA IN NOME COLLETTIVO", True),
    ("SOCIETE EN NOM COLLECTIF", "KOMMANDITGESELLSCHAFT", False),
    ("KABUSHIKI KAISHA", "KABUSIKIGAISYA", True),
    ("KK", "AO", True),
    ("GMBH AND CO KG", "KOMMANDITGESELLSCHAFT", True),
    ("GMBH AND CO KG", "GMBH", False),
    ("LIMITADA", "LTDA", True),
    ("EINGETRAGENER KAUFMANN", "EINZELUNTERNEHMEN", True),
    ("GESELLSCHAFT BURGERLICHEN RECHTS", "EINZELUNTERNEHMEN", False),
]


@pytest.mark.parametrize(("one", "other", "same"), SAME_FORM)
def test_spellings_of_one_form_share_its_class(one: str, other: str, same: bool) -> None:
    assert (form_class()[one] == form_class()[other]) is same


# ELF abbreviations and names that are name words, initials or no company's form
NOT_ELF_FORMS = [
    "FOUNDATION",
    "STIFTUNG",
    "SIHTASUTUS",
    "E V",
    "K G",
    "SOCIETE",
    "CHARTERED",
    "MING",
    "COOP",
    "UNION",
    "P C C",
    "U A B",  # three initials the tables lack joined
    "G B R",
    "SIMPLE CO",  # English entries' multi-word abbreviations
    "LIABILITY LTD",
    "SOLE PROPRIETOR",
    "SENCRL",  # listed by entries of different classes
    "LTEE",
]


@pytest.mark.parametrize("word", NOT_ELF_FORMS)
def test_noise_is_no_form(word: str) -> None:
    assert word not in form_class()


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("AL-AQSA FOUNDATION", "AL AQSA FOUNDATION"),
        ("STANDARD CHARTERED", "STANDARD CHARTERED"),
        ("P.C.C. SINGAPORE BRANCH", "P C C SINGAPORE BRANCH"),  # PCC, a protected cell company, is no form
    ],
)
def test_noise_stays_in_the_core(name: str, core: str) -> None:
    assert normalize_names(pl.Series([name]))["core"].item() == core


# a company's name, the label of its legal form (both spellings of Ё, both readings of Greek ΕΥ)
LABELS = [
    ("Альфа партнерство с ограниченной ответственностью", "OOP"),
    ("Альфа партнёрство с ограниченной ответственностью", "OOP"),
    ("ALFA PARTNERSTVO S OGRANICHENNOY OTVETSTVENNOSTYU", "OOP"),
    ("Ромашка ЕПИҚ АКЦИЯДОРЛИК ЖАМИЯТИ", "YOAJ"),
    ("Ромашка ЁПИҚ АКЦИЯДОРЛИК ЖАМИЯТИ", "YOAJ"),
    ("Alfa Etairia Periorismenis Eythynis", "E P E"),
    ("Alfa Etairia Periorismenis Evthynis", "E P E"),
    ("אלפא בע״מ", "LTD"),
]


@pytest.mark.parametrize(("name", "label"), LABELS)
def test_every_spelling_of_a_form_is_found(name: str, label: str) -> None:
    batch = normalize_names(pl.Series([name]))["legal_label"].item()
    plain = query_form(name)
    assert plain is not None
    assert (batch, plain["legal_label"]) == (label, label)


# a name, the words of its core: a derived form misspelt as a whole is cut like one spelt right
MISSPELT = [
    ("DALIAN ZHENGHUA MAOYI YOUXIAN GONJSI", "DALIAN ZHENGHUA MAOYI"),
    ("DALIAN ZHENGHUA MAOYI YOUXIAN GONGSI", "DALIAN ZHENGHUA MAOYI"),
    ("L-INMO, SOCIEDAD ANONIMA DE CAPITAL VARABLE", "L INMO"),
    ("AKTSIONERNOE OQBSHEHESTVO GENBANK", "GENBANK"),  # rigour's forms too
    ("YOUXIAN GONJSI", "YOUXIAN GONJSI"),  # nothing else: the name keeps it
    ("MAOYI GONJSI", "MAOYI GONJSI"),  # one word of a form, misspelt: a name word
    ("GONGSI MINERA", "GONGSI MINERA"),  # form words, no form
]


@pytest.mark.parametrize(("name", "words"), MISSPELT)
def test_misspelt_forms_are_cut(name: str, words: str) -> None:
    expected = normalize_names(pl.Series([words]))["tokens"].item().to_list()
    assert normalize_names(pl.Series([name]))["tokens"].item().to_list() == expected


# query, listed name, score (both paths), the legal-form note: one form read alike in its spellings and classes
FORM_PAIRS = [
    # a Czech state enterprise is read as a form, as its abbreviation s.p. is
    ("Lesy Ceske republiky statni podnik", "Lesy Ceske republiky s.p.", 1.0, "legal forms STATNI PODNIK ~ S P agree"),
    ("Povodi Vltavy statni podnik", "Povodi Vltavy", 1.0, "legal form STATNI PODNIK only in query"),
    # a kabushiki kaisha is "Co., Ltd." or "Corporation" in English, and a joint-stock company
    ("Daiichi Koeki KK", "Daiiichi Koueki Co Ltd", 0.899, "legal forms KK ~ CO LTD agree"),
    ("Nihon Kogyo KK", "Nippon Kogyo Corporation", 0.903, "legal forms KK ~ CORPORATION agree"),
    ("Kabushiki Kaisha Toshiba", "Toshiba Corporation", 1.0, "legal forms KABUSHIKI KAISHA ~ CORPORATION agree"),
    ("Kalashnikov Concern KK", "Kalashnikov Concern AO", 1.0, "legal forms KK ~ AO agree"),
    ("Toshiba KK", "Toshiba LLC", 0.95, "legal forms differ (KK vs LLC)"),
    # a limitada is "Ltd." in English, and a limited-liability company
    ("Santos Comercio Limitada", "Santos Comercio Ltd", 1.0, "legal forms LTDA ~ LTD agree"),
    (
        "Inversiones Hoteleras del Litoral Limitada",
        "Inversiones Hotelera del Litoral Ltd",
        0.964,
        "legal forms LTDA ~ LTD agree",
    ),
    ("Santos Comercio Ltda", "Santos Comercio LLC", 1.0, "legal forms LTDA ~ LLC agree"),
    ("Santos Comercio Limitada", "Santos Comercio Ltda", 1.0, "legal form LTDA on both"),
    # two limited partnerships, each with its own label; a GmbH & Co. KG is no GmbH
    ("Muller KGaA & Co. KG", "Muller GmbH & Co. KG", 1.0, "legal forms KGAA AND CO KG ~ GMBH AND CO KG agree"),
    ("Muller GmbH & Co. KG", "Muller GmbH", 0.95, "legal forms differ (GMBH AND CO KG vs GMBH)"),
    # rigour's spellings of a form the project's table has (AB, PT) or whose type rigour lacks (AE)
    ("Volvo Aktiebolag", "Volvo AB", 1.0, "legal form AB on both"),
    ("Alfa Anonymi Etaireia", "Alfa SA", 1.0, "legal forms AE ~ SA agree"),
]


# a spelling, its classes: a form English names with another class's form is in both
CLASS_SETS = [
    ("KK", ["CO LTD", "JSC"]),
    ("KABUSHIKI KAISHA", ["CO LTD", "JSC"]),
    ("ZHU SHI HUI SHE", ["CO LTD", "JSC"]),  # 株式会社, labelled KK
    ("LIMITADA", ["CO LTD", "LLC"]),
    ("LTDA", ["CO LTD", "LLC"]),
    ("AO", ["JSC"]),
    ("LTD", ["CO LTD"]),
    ("STATNI PODNIK", ["SP"]),
    ("AKTIEBOLAG", ["JSC"]),
    ("POLNOE TOVARISHCHESTVO", ["GP"]),  # ПТ, not Indonesia's PT
]


@pytest.mark.parametrize(("spelling", "classes"), CLASS_SETS)
def test_form_classes(spelling: str, classes: list[str]) -> None:
    assert form_classes()[spelling] == classes


# query, listed name, score (both paths), the note: a word is a legal form only when it is one or its misspelling,
# not a word of another meaning that contains or resembles one (UNLIMITED scored 1.0 against LIMITED, read as it)
WORDS_LIKE_FORMS = [
    ("NORD UNLIMITED", "NORD LIMITED", 0.55, "tokens missing"),  # 1.0: UNLIMITED cut as LIMITED, misspelt
    ("NORD LIMITED", "NORD UNLIMITED", 0.654, "tokens missing"),  # 1.0
    ("DELIMITED SYSTEMS", "LIMITED SYSTEMS", 0.597, "tokens missing"),  # 1.0: LIMITED held with letters added
    ("NORD LIMITER", "NORD LIMITED", 1.0, "romanisation variant"),  # a one-key slip; no listed name holds LIMITER
    # a word that is a spelling's own word, or near one, is no other word for holding a shorter form word
    ("ROMASHKA NEPUBLICHNOYE AKTSIONERNOYE OBSHCHESTVO", "ROMASHKA NAO", 1.0, "legal forms AO ~ NAO agree"),
    ("NORD INCORPORATIONN", "NORD INC", 1.0, "legal form INC only in list name"),  # 0.538 when other
    ("NORD INKORPORATION", "NORD INC", 1.0, "legal form INC only in list name"),
    ("NORD ENCORPORATION", "NORD INC", 1.0, "legal form INC only in list name"),
    ("NORD ANONIMAS", "NORD", 1.0, "romanisation variant"),  # 0.556 when other
    ("NORD SPOLKAZOO", "NORD SP Z OO", 1.0, "legal form SP Z O O only in list name"),  # glued SPOLKA Z O O
    ("NORD LIMITEDCO", "NORD LIMITED CO", 1.0, "legal form LTD only in list name"),  # glued LIMITED CO
    # misspelt forms are still cut, whichever side
    ("NORD LIMTED", "NORD LIMITED", 1.0, "legal forms LTD ~ LIMITED agree"),
    ("NORD LIMITED", "NORD LIMITIED", 1.0, "legal form LIMITED only in query"),
    ("NORD CORPORACION", "NORD CORP", 1.0, "legal form CORP only in list name"),
]


@pytest.mark.parametrize(
    ("query", "listed", "score", "note", "scorer"), by_scorer([*FORM_PAIRS, *WORDS_LIKE_FORMS], scorers=HAND_ONLY)
)
def test_one_form_in_its_spellings(query: str, listed: str, score: float, note: str, scorer: str) -> None:
    hits = both_paths(query, listed, threshold=0.0, scorer=scorer)
    assert hits["score"][0] == pytest.approx(score, abs=0.0005)
    assert note in hits["detail"][0]
