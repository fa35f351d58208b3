"""A font for characters no system font here has (𪚥 of CJK Ext-B, the emoji 👩 and 💻), and a
fontconfig setup that adds it to the system's fonts: what installing SimSun-ExtB or a CJK Ext-B
font does on a clerk's machine. Made with fontTools from three glyphs of AR PL UKai (田, 口, 日),
so it has every table a real font has."""

from __future__ import annotations

from pathlib import Path

UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
FAMILY = "Xxgk Rare Test"
COVERED = {"\U0002a6a5": "田", "\U0001f469": "口", "\U0001f4bb": "日"}  # 𪚥, 👩, 💻


def write_font(folder: Path) -> Path:
    """The font file in ``folder``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    font = TTFont(str(UKAI), fontNumber=0)
    options = subset.Options()
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in set(COVERED.values())])
    subsetter.subset(font)
    glyphs = font.getBestCmap()
    table = CmapSubtable.newSubtable(12)
    table.platformID, table.platEncID, table.language = 3, 10, 0
    table.cmap = {ord(c): glyphs[ord(shape)] for c, shape in COVERED.items()}
    font["cmap"].tables = [table]
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "")
    path = folder / "xxgk-rare-test.ttf"
    font.save(str(path))
    return path


def fontconfig_with(folder: Path) -> Path:
    """A fonts.conf that reads the system's configuration and adds the font in ``folder``."""
    write_font(folder)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{folder}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf
