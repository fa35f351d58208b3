"""Every zip read from a user is bounded, and a template stays inside its package
(issue 15, classes 4 and 5): zip bombs, too many members, encrypted or oddly compressed members,
members outside the package, external links — each refused with a message naming it."""

from __future__ import annotations

import contextlib
import io
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.safety_support import EXAMPLE
from tests.test_fuzz import FUZZ, _count, _either
from xxgk import zip_limits
from xxgk.errors import XxgkError
from xxgk.importers import import_source
from xxgk.render.docx.template import _read_zip, default_template

Run = Callable[..., Result]
TEMPLATE = default_template().read_bytes()
IMAGE_REL = (
    '<Relationship Id="rId99" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
    'Target="{target}" TargetMode="External"/>'
)
HYPERLINK_REL = (
    '<Relationship Id="rId98" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
    'Target="https://www.gov.cn/" TargetMode="External"/>'
)
RELS = "word/_rels/document.xml.rels"


def _package(
    replace: dict[str, bytes] | None = None,
    extra: dict[str, bytes] | None = None,
    method: int = zipfile.ZIP_DEFLATED,
    source: bytes = TEMPLATE,
) -> bytes:
    """The template's package with parts replaced and members added (compressed by ``method``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)),
                         compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            dst.writestr(name, data, compress_type=method)
    return out.getvalue()


def _encrypted(data: bytes) -> bytes:
    """The zip with the "encrypted" flag set on every member, in both headers."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = patched.find(signature)
        while at != -1:
            patched[at + offset] |= 0x01
            at = patched.find(signature, at + 4)
    return bytes(patched)


def _with_rel(rel: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(TEMPLATE)) as z:
        rels = z.read(RELS).decode("utf-8")
    return _package({RELS: rels.replace("</Relationships>", rel + "</Relationships>").encode()})


def _refusal(data: bytes) -> XxgkError:
    with pytest.raises(XxgkError) as caught:
        _read_zip(data, "模板.docx")
    return caught.value


BOMB = b"\0" * (zip_limits.RATIO_FLOOR + 1024)


@pytest.mark.parametrize(
    ("data", "code", "named"),
    [
        (_package(extra={"word/media/bomb.bin": BOMB}), "zip/bomb", "word/media/bomb.bin"),
        (_encrypted(_package()), "zip/encrypted", "[Content_Types].xml"),
        (_package(extra={"word/x.xml": b"<x/>"}, method=zipfile.ZIP_LZMA), "zip/compression",
         "word/x.xml"),
        (_package(extra={"../../x": b"x"}), "zip/unsafe-name", "../../x"),
        (_package(extra={"/etc/cron.d/x": b"x"}), "zip/unsafe-name", "/etc/cron.d/x"),
        (_package(extra={"evil.sh": b"#!/bin/sh"}), "template/stray-member", "evil.sh"),
        (_with_rel(IMAGE_REL.format(target="file:///etc/passwd")), "template/external-link",
         "file:///etc/passwd"),
        (_with_rel(IMAGE_REL.format(target="http://example.com/a.png")),
         "template/external-link", "http://example.com/a.png"),
    ],
    ids=["bomb", "encrypted", "lzma", "dotdot", "absolute", "stray", "file-link", "http-image"],
)
def test_template_refused_naming_the_member(data: bytes, code: str, named: str) -> None:
    finding = _refusal(data).findings[0]
    assert finding.code == code
    assert named in finding.message


def test_fetching_field_is_refused() -> None:
    with zipfile.ZipFile(io.BytesIO(TEMPLATE)) as z:
        body = z.read("word/document.xml").decode("utf-8")
    field = ('<w:r><w:instrText xml:space="preserve"> INCLUDEPIC</w:instrText></w:r>'
             '<w:r><w:instrText>TURE "file:///etc/passwd" </w:instrText></w:r>')
    body = body.replace("</w:body>", f"<w:p>{field}</w:p></w:body>", 1)
    finding = _refusal(_package({"word/document.xml": body.encode()})).findings[0]
    assert finding.code == "template/external-link"
    assert "INCLUDEPICTURE" in finding.message


def test_a_hyperlink_to_a_web_page_is_allowed() -> None:
    assert _read_zip(_with_rel(HYPERLINK_REL), "模板.docx")


def test_member_count_and_total_size_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_limits, "MAX_MEMBERS", 10)
    assert _refusal(_package()).findings[0].code == "zip/too-many-members"
    monkeypatch.setattr(zip_limits, "MAX_MEMBERS", 5000)
    monkeypatch.setattr(zip_limits, "MAX_TOTAL_BYTES", 100_000)
    assert _refusal(_package()).findings[0].code == "zip/too-large"


def test_build_with_a_linked_image_template_writes_nothing(xxgk: Run, tmp_path: Path) -> None:
    template = tmp_path / "linked.docx"
    template.write_bytes(_with_rel(IMAGE_REL.format(target="file:///etc/passwd")))
    out = tmp_path / "out"
    result = xxgk("build", EXAMPLE, "--template", template, "-o", out)
    assert result.exit_code == 1
    assert "template/external-link" in result.output
    assert "file:///etc/passwd" in result.output
    assert not list(out.glob("*.docx")) if out.exists() else True


@pytest.fixture(scope="module")
def built_docx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from xxgk.build import build_file

    out = tmp_path_factory.mktemp("built")
    result = build_file(EXAMPLE, out)
    return next(p for p in result.outputs if p.suffix == ".docx").read_bytes()


@pytest.mark.parametrize("kind", ["bomb", "encrypted", "lzma"])
def test_import_of_a_hostile_docx_is_refused(
    xxgk: Run, tmp_path: Path, built_docx: bytes, kind: str
) -> None:
    data = {
        "bomb": _package(extra={"word/media/bomb.bin": BOMB}, source=built_docx),
        "encrypted": _encrypted(built_docx),
        "lzma": _package(extra={"word/x.xml": b"<x/>"}, method=zipfile.ZIP_LZMA,
                         source=built_docx),
    }[kind]
    path = tmp_path / f"{kind}.docx"
    path.write_bytes(data)
    result = xxgk("import", path, "-o", tmp_path / "data")
    assert result.exit_code == 1
    assert f"{path}: 错误 [zip/" in result.output
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").iterdir())


# ---------------------------------------------------------------- fuzz

MEMBER_NAMES = st.one_of(
    st.sampled_from(["word/x.xml", "../x", "/abs", "a\\b.xml", "word/../../x", "C:/x", "evil",
                     "word/media/i.png", "customXml/item9.xml", "word/_rels/x.rels"]),
    st.text(min_size=1, max_size=20),
)
MEMBERS = st.lists(
    st.tuples(MEMBER_NAMES, st.binary(max_size=200),
              st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                               zipfile.ZIP_LZMA])),
    max_size=4,
)


with zipfile.ZipFile(io.BytesIO(TEMPLATE)) as _z:
    TEMPLATE_PARTS = [(i.filename, _z.read(i)) for i in _z.infolist()]


def _fuzzed(members: list[tuple[str, bytes, int]], encrypt: bool, rels: str) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as dst:
        warnings.simplefilter("ignore")  # duplicate names are one of the hostile cases
        for name, body in TEMPLATE_PARTS:
            if name == RELS:
                body = body.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            dst.writestr(name, body)  # stored: the fuzz is about the members, not speed
        for name, body, method in members:
            # Python's writer refuses some names outright (a name it truncates to nothing at a
            # NUL raises IndexError): those are made by hand in test_a_nul_member_name….
            with contextlib.suppress(ValueError, UnicodeEncodeError, IndexError):
                dst.writestr(name, body, compress_type=method)
    data = out.getvalue()
    return _encrypted(data) if encrypt else data


@settings(FUZZ, max_examples=100)
@given(
    members=MEMBERS,
    encrypt=st.booleans(),
    target=st.sampled_from(["", "media/a.png", "file:///etc/passwd", "http://x/y", "\\\\host\\s"]),
    mode=st.sampled_from(["", ' TargetMode="External"']),
)
def test_fuzz_template_packages(
    members: list[tuple[str, bytes, int]], encrypt: bool, target: str, mode: str
) -> None:
    _count("template zips")
    rel = (f'<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/'
           f'2006/relationships/image" Target="{target}"{mode}/>') if target else ""
    _either(lambda: _read_zip(_fuzzed(members, encrypt, rel), "模板.docx"))


@settings(FUZZ, max_examples=30)
@given(members=MEMBERS, encrypt=st.booleans(), suffix=st.sampled_from([".docx", ".xlsx"]))
def test_fuzz_imported_zips(
    tmp_path_factory: pytest.TempPathFactory, members: list[tuple[str, bytes, int]],
    encrypt: bool, suffix: str,
) -> None:
    _count("imported zips")
    path = tmp_path_factory.mktemp("fuzz") / f"f{suffix}"
    path.write_bytes(_fuzzed(members, encrypt, ""))
    _either(lambda: import_source(path))


def test_a_nul_member_name_is_refused(tmp_path: Path) -> None:
    # zipfile reads a member name starting with NUL as "" (other tools write such names).
    placeholder = "word/QQQQQQQQQQ.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, body in TEMPLATE_PARTS:
            dst.writestr(name, body)
        dst.writestr(placeholder, b"x")
    data = out.getvalue().replace(placeholder.encode(), b"\x00" + b"x" * (len(placeholder) - 1))
    from xxgk.render.docx.template import load_template

    path = tmp_path / "nul.docx"
    path.write_bytes(data)
    for read in (load_template, import_source):
        with pytest.raises(XxgkError) as caught:
            read(path)
        assert caught.value.findings[0].code == "zip/unsafe-name"


def test_a_file_larger_than_any_report_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xxgk.render.docx.template import load_template

    monkeypatch.setattr(zip_limits, "MAX_TOTAL_BYTES", 1000)
    path = tmp_path / "big.docx"
    path.write_bytes(TEMPLATE)
    for read in (load_template, import_source):
        with pytest.raises(XxgkError) as caught:
            read(path)
        assert caught.value.findings[0].code == "zip/too-large"

