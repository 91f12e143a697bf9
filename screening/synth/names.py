"""Name styles of synthetic parties: company and person names per country style, native script and Latin.

A style is a small vocabulary: stems and sector words (each as ``(native, latin)``), legal forms
(``(native, latin, prefix)``: ``ООО «Вектор»`` puts the form first, ``Vektor LLC`` last), given
and family names. A name is drawn by index into the vocabulary and assembled with polars string
formatting, one pass per style, so a million names take well under a second. Styles without a
script of their own have the same native and Latin spellings.

:func:`to_cyrillic` transliterates Latin Russian names back to Cyrillic (the inverse of the
BGN/PCGN-like romanisation the lists use: ``ALMAZ-ANTEY`` → ``АЛМАЗ-АНТЕЙ``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl

from screening.frames import fmt

Pair = tuple[str, str]


@dataclass(frozen=True)
class Style:
    """A name style: vocabularies in native script and Latin, and how names are assembled."""

    stems: tuple[Pair, ...]
    tails: tuple[Pair, ...]
    forms: tuple[tuple[str, str, bool], ...]  # native, latin, form written before the name
    given: tuple[Pair, ...]
    family: tuple[Pair, ...]
    joiner: str = " "  # between stem and sector word in Latin ("" glues: Vostoktekh)
    native_joiner: str = " "
    family_first: bool = False
    native_share: float = 0.0  # share of parties whose name is written in the native script
    quote: bool = False  # native names put the form first and quote the name: ООО «Вектор»
    marks: tuple[Pair, ...] = ()  # optional endings that tell apart firms of the same stem and sector


def _pairs(native: str, latin: str) -> tuple[Pair, ...]:
    """Return (native, latin) pairs from two space-separated lists of the same length."""
    return tuple(zip(native.split(), latin.split(), strict=True))


def _same(latin: str) -> tuple[Pair, ...]:
    """Return pairs whose native spelling is the Latin one."""
    return tuple((w, w) for w in latin.split())


_MARKS: Final = _same("-M -S -Pro Plus Group International 2000 Nova -Tech Trans Star Prime -K Line Invest Alliance")
_RU_MARKS: Final = _pairs(
    "-М -С -Про Плюс Групп Интернешнл 2000 Нова -Тех Транс Стар Прайм -К Лайн Инвест Альянс",
    "-M -S -Pro Plus Group International 2000 Nova -Tekh Trans Star Praym -K Layn Invest Alyans",
)
_RU_STEMS = _pairs(
    "Вектор Восток Сибирь Урал Балтика Волга Нева Орион Альфа Гранит Кедр Енисей Ладога Алтай Север Импульс Радиан "
    "Кристалл Меридиан Полюс",
    "Vektor Vostok Sibir Ural Baltika Volga Neva Orion Alfa Granit Kedr Yenisey Ladoga Altay Sever Impuls Radian "
    "Kristall Meridian Polyus",
)
_RU_TAILS = _pairs(
    "трейд техно снаб пром строй сервис логистик комплект энерго маш электро импорт",
    "treyd tekhno snab prom stroy servis logistik komplekt energo mash elektro import",
)
_RU_GIVEN = _pairs(
    "Алексей Дмитрий Сергей Андрей Игорь Николай Олег Евгений Павел Роман Михаил Владимир Юрий Артем",
    "Aleksey Dmitriy Sergey Andrey Igor Nikolay Oleg Evgeniy Pavel Roman Mikhail Vladimir Yuriy Artem",
)
_RU_FAMILY = _pairs(
    "Иванов Смирнов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Волков Павлов Семенов Голубев Орлов",
    "Ivanov Smirnov Kuznetsov Popov Sokolov Lebedev Kozlov Novikov Morozov Volkov Pavlov Semenov Golubev Orlov",
)
_CN_STEMS = _pairs(
    "华强 恒通 鑫源 金达 中科 宏远 天成 瑞丰 海信 东方 永盛 伟业 新世纪 博远 嘉禾 长城",
    "Huaqiang Hengtong Xinyuan Jinda Zhongke Hongyuan Tiancheng Ruifeng Haixin Dongfang Yongsheng Weiye Xinshiji "
    "Boyuan Jiahe Changcheng",
)
_CN_TAILS = (
    ("电子科技", "Electronic Technology"),
    ("进出口贸易", "Import and Export Trading"),
    ("机械设备", "Machinery Equipment"),
    ("国际贸易", "International Trade"),
    ("精密轴承", "Precision Bearing"),
    ("供应链管理", "Supply Chain Management"),
    ("光电", "Optoelectronics"),
    ("实业", "Industrial"),
)
_CN_GIVEN = _pairs("伟 芳 娜 敏 静 强 磊 军 洋 勇 杰 涛", "Wei Fang Na Min Jing Qiang Lei Jun Yang Yong Jie Tao")
_CN_FAMILY = _pairs("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙", "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun")
_AR_STEMS = _pairs(
    "النور الخليج الصقر الواحة الفجر الريان النخيل الأمل البحر الماس",
    "Al-Noor Al-Khaleej Al-Saqr Al-Waha Al-Fajr Al-Rayyan Al-Nakheel Al-Amal Al-Bahr Al-Maas",
)
_AR_TAILS = (
    ("للتجارة العامة", "General Trading"),
    ("للإلكترونيات", "Electronics Trading"),
    ("للشحن", "Shipping"),
    ("للمعدات", "Equipment Trading"),
    ("للاستيراد والتصدير", "Import Export"),
)
_AR_GIVEN = _pairs("محمد أحمد علي خالد عمر يوسف فاطمة مريم", "Mohammed Ahmed Ali Khaled Omar Youssef Fatima Maryam")
_AR_FAMILY = _pairs(
    "المنصوري الهاشمي الشامسي الكعبي النعيمي الزعابي",
    "Al-Mansouri Al-Hashimi Al-Shamsi Al-Kaabi Al-Nuaimi Al-Zaabi",
)
_CENTRAL_STEMS = _pairs(
    "Алтын Ак-Жол Тенгри Ала-Тоо Сункар Бирлик Жибек Самал Манас Кок-Тобе Нур Арман",
    "Altyn Ak-Zhol Tengri Ala-Too Sunkar Birlik Zhibek Samal Manas Kok-Tobe Nur Arman",
)

STYLES: Final[dict[str, Style]] = {
    "ru": Style(
        _RU_STEMS,
        _RU_TAILS,
        (("ООО", "OOO", True), ("ООО", "LLC", False), ("АО", "AO", True), ("АО", "JSC", False),
         ("ПАО", "PJSC", False), ("ООО", "Limited Liability Company", True)),
        _RU_GIVEN,
        _RU_FAMILY,
        joiner="",
        native_joiner="",
        native_share=0.5,
        quote=True,
        marks=_RU_MARKS,
    ),
    "central": Style(
        _CENTRAL_STEMS,
        _pairs("Трейд Логистик Импэкс Снаб Групп Техно", "Trade Logistic Impex Snab Group Tekhno"),
        (("ТОО", "TOO", False), ("ОсОО", "LLC", False), ("ООО", "LLC", False), ("АО", "JSC", False)),
        _pairs("Нурлан Бакыт Айгуль Данияр Азамат Гульнара", "Nurlan Bakyt Aigul Daniyar Azamat Gulnara"),
        _pairs(
            "Абдиев Садыков Жумабаев Токтогулов Нурланов Исаев", "Abdiev Sadykov Zhumabaev Toktogulov Nurlanov Isaev"
        ),
        native_share=0.3,
        quote=True,
        marks=_RU_MARKS,
    ),
    "cn": Style(
        _CN_STEMS,
        _CN_TAILS,
        (("有限公司", "Co., Ltd.", False), ("有限公司", "Co., Limited", False), ("股份有限公司", "Co., Ltd.", False)),
        _CN_GIVEN,
        _CN_FAMILY,
        native_joiner="",
        family_first=True,
        native_share=0.35,
    ),
    "tr": Style(
        _same("Anadolu Ege Marmara Yıldız Kartal Boğaziçi Akdeniz Toros Başak Doruk Özgür Tuna"),
        (("Elektronik", "Elektronik"), ("Makina", "Makina"), ("Dış Ticaret", "Dış Ticaret"), ("Lojistik", "Lojistik"),
         ("Otomotiv", "Otomotiv"), ("Tekstil", "Tekstil")),
        (("San. ve Tic. Ltd. Şti.", "San. ve Tic. Ltd. Şti.", False), ("A.Ş.", "A.Ş.", False),
         ("Ltd. Şti.", "Ltd. Şti.", False)),
        _same("Mehmet Ahmet Mustafa Ayşe Fatma Emre Burak Zeynep Hakan Elif"),
        _same("Yılmaz Kaya Demir Şahin Çelik Yıldız Aydın Öztürk Arslan Doğan"),
    ),
    "ar": Style(
        _AR_STEMS,
        _AR_TAILS,
        (("ش.ذ.م.م", "LLC", False), ("م.م.ح", "FZE", False), ("م.م.ح", "FZCO", False), ("ش.ذ.م.م", "DMCC", False)),
        _AR_GIVEN,
        _AR_FAMILY,
        native_share=0.25,
    ),
    "de": Style(
        _same("Rhein Nord Alpen Elbe Main Weser Donau Schwarzwald Hansa Bayern Harz Mosel"),
        _same("Maschinenbau Antriebstechnik Handel Elektronik Logistik Präzisionstechnik Industriebedarf Optik"),
        (("GmbH", "GmbH", False), ("AG", "AG", False), ("GmbH & Co. KG", "GmbH & Co. KG", False)),
        _same("Thomas Michael Andreas Stefan Sabine Petra Klaus Jürgen Monika Frank"),
        _same("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schulz"),
    ),
    "en": Style(
        _same("Atlantic Summit Pioneer Horizon Liberty Crown Harbor Sterling Apex Beacon Keystone Meridian"),
        _same("Trading Industries Logistics Components Supply Systems Technologies Holdings"),
        (("Ltd", "Ltd", False), ("Inc.", "Inc.", False), ("LLC", "LLC", False), ("Limited", "Limited", False),
         ("Corp.", "Corp.", False)),
        _same("James John Robert Michael David Mary Jennifer Linda Sarah Daniel"),
        _same("Smith Johnson Brown Taylor Wilson Davies Evans Clarke Walker Wright"),
    ),
    "fr": Style(
        _same("Lyon Provence Atlantique Loire Alpes Bretagne Rhône Normandie"),
        _same("Industrie Équipements Négoce Technologies Logistique Optique"),
        (("SA", "SA", False), ("SARL", "SARL", False), ("SAS", "SAS", False)),
        _same("Jean Pierre Marie Sophie Nicolas Camille Julien Claire"),
        _same("Martin Bernard Dubois Thomas Robert Richard Petit Durand"),
    ),
    "it": Style(
        _same("Milano Torino Adriatica Lombarda Veneta Tirrena Emilia Toscana"),
        _same("Meccanica Utensili Componenti Elettronica Commerciale Trasporti"),
        (("S.p.A.", "S.p.A.", False), ("S.r.l.", "S.r.l.", False)),
        _same("Giuseppe Marco Luca Francesca Giulia Alessandro Paola Matteo"),
        _same("Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci"),
    ),
    "es": Style(
        _same("Ibérica Levante Cantábrica Castilla Atlántico Andaluza Galaica Lusitana"),
        _same("Industrial Comercial Suministros Tecnología Logística Maquinaria"),
        (("S.A.", "S.A.", False), ("S.L.", "S.L.", False), ("Lda.", "Lda.", False)),
        _same("José Antonio Manuel Carmen María Javier João Ana"),
        _same("García Fernández González Rodríguez López Martínez Silva Santos"),
    ),
    "eu": Style(
        _same("Baltic Carpathia Vistula Danube Nordic Amber Tatra Pannonia Aurora Polaris"),
        _same("Trade Technik Export Components Logistics Machinery"),
        (("B.V.", "B.V.", False), ("Sp. z o.o.", "Sp. z o.o.", False), ("s.r.o.", "s.r.o.", False),
         ("Kft.", "Kft.", False), ("AB", "AB", False), ("Oy", "Oy", False), ("A/S", "A/S", False),
         ("UAB", "UAB", False), ("OÜ", "OÜ", False)),
        _same("Jan Piotr Tomasz Anna Eva Lars Mikko Jonas Petra Martin"),
        _same("Novak Kowalski Nowak Jansen Andersson Virtanen Kazlauskas Horvat Nielsen Tamm"),
    ),
    "jp": Style(
        _same("Yamato Sakura Fuji Hikari Nippon Tokai Kansai Asahi"),
        _same("Seiki Denshi Shoji Kogyo Electronics Precision"),
        (("Co., Ltd.", "Co., Ltd.", False), ("Corporation", "Corporation", False), ("K.K.", "K.K.", False)),
        _same("Hiroshi Takashi Kenji Yuki Akiko Naoko Daisuke Haruto"),
        _same("Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura"),
        family_first=True,
    ),
    "kr": Style(
        _same("Hanil Daesung Samjin Kumho Seoul Busan Hanbit Dongyang"),
        _same("Electronics Industrial Trading Precision Tech"),
        (("Co., Ltd.", "Co., Ltd.", False), ("Corp.", "Corp.", False)),
        _same("Min-jun Seo-yeon Ji-ho Ha-eun Jae-won Su-bin"),
        _same("Kim Lee Park Choi Jung Kang Cho Yoon"),
        family_first=True,
    ),
    "in": Style(
        _same("Bharat Shree Ganesh Sai Vardhman Laxmi Sunrise Orient Krishna Deccan"),
        _same("Exports Engineering Industries Traders Overseas Impex"),
        (("Pvt. Ltd.", "Pvt. Ltd.", False), ("Private Limited", "Private Limited", False), ("LLP", "LLP", False)),
        _same("Rajesh Amit Suresh Priya Anil Sunita Vijay Deepak"),
        _same("Sharma Patel Singh Gupta Kumar Reddy Mehta Shah"),
    ),
    "sea": Style(
        _same("Golden Pacific Asia Mekong Lotus Siam Borneo Java Orchid Harmony"),
        _same("Trading Industrial Electronics Logistics Import Export"),
        (("Co., Ltd.", "Co., Ltd.", False), ("Sdn. Bhd.", "Sdn. Bhd.", False), ("Pte. Ltd.", "Pte. Ltd.", False),
         ("PT", "PT", True), ("JSC", "JSC", False)),
        _same("Nguyen Anh Somchai Budi Siti Ahmad Linh Arif"),
        _same("Tran Le Pham Wong Tan Lim Santoso Rahman"),
    ),
}  # fmt: skip

_LATIN_TO_CYRILLIC: Final = (
    ("SHCH", "Щ"), ("KH", "Х"), ("ZH", "Ж"), ("TS", "Ц"), ("CH", "Ч"), ("SH", "Ш"), ("YU", "Ю"), ("YA", "Я"),
    ("YO", "Ё"), ("YE", "Е"), ("A", "А"), ("B", "Б"), ("V", "В"), ("G", "Г"), ("D", "Д"), ("E", "Е"), ("Z", "З"),
    ("I", "И"), ("Y", "Ы"), ("K", "К"), ("L", "Л"), ("M", "М"), ("N", "Н"), ("O", "О"), ("P", "П"), ("R", "Р"),
    ("S", "С"), ("T", "Т"), ("U", "У"), ("F", "Ф"), ("C", "К"), ("H", "Х"), ("W", "В"), ("X", "КС"), ("Q", "К"),
    ("J", "ДЖ"),
)  # fmt: skip
_LATIN_RE: Final = re.compile("|".join(latin for latin, _ in _LATIN_TO_CYRILLIC))
_CYRILLIC: Final = dict(_LATIN_TO_CYRILLIC)
# Latin letters and the Cyrillic letters that look the same (the look-alike trick).


def to_cyrillic(latin: str) -> str:
    """Return a Latin-romanised Russian name in Cyrillic capitals (``ALMAZ-ANTEY`` → ``АЛМАЗ-АНТЕЙ``)."""
    upper = latin.upper()
    # a word-initial E is Э (ELEKTRO → ЭЛЕКТРО), a C before E, I or Y is Ц (CONCERN → КОНЦЕРН)
    upper = re.sub(r"C(?=[EIY])", "Ц", re.sub(r"\bE", "Э", upper))
    cyr = _LATIN_RE.sub(lambda m: _CYRILLIC.get(m.group(0), m.group(0)), upper)
    # a Y after a vowel is the short Й (ANTEY → АНТЕЙ, ... IY → ИЙ); YCH endings are ИЧ
    return re.sub(r"ЫЧ\b", "ИЧ", re.sub(r"(?<=[АЕЁИОУЭЮЯ])Ы", "Й", cyr))


def _gather(pairs: tuple[Pair, ...], index: np.ndarray, side: int) -> pl.Series:
    """Return one side (0 native, 1 Latin) of vocabulary pairs gathered at ``index``."""
    return pl.Series([p[side] for p in pairs]).gather(index)


def _spaced(mark: str) -> str:
    """Return a name ending as appended: hyphenated ones glued, words after a space."""
    return mark if mark.startswith("-") or not mark else f" {mark}"


def company_names(style: Style, rng: np.random.Generator, count: int, cities: pl.Series) -> pl.DataFrame:
    """Return ``count`` company names of one style (``native``, ``latin``), Chinese ones led by their city."""
    s, t, f = (rng.integers(0, len(v), count) for v in (style.stems, style.tails, style.forms))
    marks = style.marks or (_MARKS if style is not STYLES.get("cn") else (("", ""),))
    m = np.where(rng.random(count) < 0.6, rng.integers(0, len(marks), count), len(marks))
    mark_n, mark_l = (pl.Series([_spaced(p[side]) for p in marks] + [""]).gather(m) for side in (0, 1))
    forms = pl.DataFrame(style.forms, schema=["nf", "lf", "prefix"], orient="row")[f]
    frame = pl.DataFrame(
        {
            "ns": _gather(style.stems, s, 0),
            "ls": _gather(style.stems, s, 1),
            "nt": _gather(style.tails, t, 0),
            "lt": _gather(style.tails, t, 1),
            "city": cities,
            "mn": mark_n,
            "ml": mark_l,
        }
    ).hstack(forms)
    glued = pl.concat_str("ls", "lt", separator=style.joiner) + pl.col("ml")
    core_n = pl.concat_str("ns", "nt", separator=style.native_joiner) + pl.col("mn")
    if style is STYLES["cn"]:
        core_n = pl.col("city").str.split("|").list.get(1, null_on_oob=True).fill_null("") + core_n
        glued = pl.col("city").str.split("|").list.first() + " " + glued
    core_n = fmt("«{}»", core_n) if style.quote else core_n
    native_sep = "" if style is STYLES["cn"] else " "
    return frame.select(
        pl.when(pl.col("prefix") | style.quote)
        .then(pl.concat_str("nf", core_n, separator=" "))
        .otherwise(pl.concat_str(core_n, "nf", separator=native_sep))
        .alias("native"),
        pl.when(pl.col("prefix"))
        .then(pl.concat_str("lf", glued, separator=" "))
        .otherwise(pl.concat_str(glued, "lf", separator=" "))
        .alias("latin"),
    )


def person_names(style: Style, rng: np.random.Generator, count: int) -> pl.DataFrame:
    """Return ``count`` person names of one style (``native``, ``latin``), family name first where usual."""
    g, f = rng.integers(0, len(style.given), count), rng.integers(0, len(style.family), count)
    given_n, given_l = _gather(style.given, g, 0), _gather(style.given, g, 1)
    family_n, family_l = _gather(style.family, f, 0), _gather(style.family, f, 1)
    if style.family_first:
        native_sep = "" if style is STYLES["cn"] else " "
        return pl.DataFrame({"native": family_n + native_sep + given_n, "latin": family_l + " " + given_l})
    return pl.DataFrame({"native": given_n + " " + family_n, "latin": given_l + " " + family_l})
