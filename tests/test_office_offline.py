"""LibreOffice fetches nothing a document names (issue 19): not an <img>, a stylesheet, a linked
picture, an INCLUDEPICTURE field or a linked OLE object — whether it imports a .doc for
`xxgk import` or converts a .docx to PDF for `xxgk build --pdf`.

A local HTTP server records every request. The same documents opened by a bare LibreOffice
(no profile settings, the network there) do make it fetch: the control shows the test can fail.
"""

from __future__ import annotations

import http.server
import io
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from tests.conftest import run_xxgk
from xxgk import office
from xxgk.render.pdf.convert import convert_each

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice (soffice) is not installed")

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if self.path.endswith(".png") else "text/css")
        self.end_headers()
        self.wfile.write(PNG if self.path.endswith(".png") else b"p { color: red }")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 and the paths it was asked for."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _html(base: str) -> str:
    return (
        '<html><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{base}/style.css"></head><body>'
        "<p>晋江市永和镇2021年政府信息公开工作年度报告</p>"
        f'<p><img src="{base}/pixel.png" width="10" height="10"></p>'
        "<p>一、总体情况</p><p>正文。</p></body></html>"
    )


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NAMESPACES = (
    f'xmlns:w="{W}" xmlns:r="{R}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)


def _linked_docx(base: str) -> bytes:
    """A .docx with a linked picture, an INCLUDEPICTURE field and a linked OLE object."""
    document = Document()
    document.add_paragraph("晋江市永和镇2021年政府信息公开工作年度报告")
    part = document.part
    picture = part.relate_to(f"{base}/linked.png", RT.IMAGE, is_external=True)
    ole = part.relate_to(f"{base}/sheet.xlsx", RT.OLE_OBJECT, is_external=True)
    preview = part.relate_to(f"{base}/preview.png", RT.IMAGE, is_external=True)
    runs = (
        f'<w:p {_NAMESPACES}><w:r><w:drawing><wp:inline><wp:extent cx="91440" cy="91440"/>'
        '<wp:docPr id="1" name="p"/><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
        '<pic:cNvPr id="1" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
        f'<a:blip r:link="{picture}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="91440" cy="91440"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
        "</a:graphic></wp:inline></w:drawing></w:r></w:p>",
        f'<w:p {_NAMESPACES}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
        f'xml:space="preserve"> INCLUDEPICTURE "{base}/field.png" \\d </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>图</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
        f'<w:p {_NAMESPACES}><w:r><w:object><v:shape id="ole1" style="width:60pt;height:30pt">'
        f'<v:imagedata r:id="{preview}"/></v:shape><o:OLEObject Type="Link" '
        f'ProgID="Excel.Sheet.12" ShapeID="ole1" DrawAspect="Content" r:id="{ole}" '
        'UpdateMode="Always"><o:LinkType>EnhancedMetaFile</o:LinkType></o:OLEObject>'
        "</w:object></w:r></w:p>",
    )
    body = document.element.body
    for xml in runs:
        body.sectPr.addprevious(etree.fromstring(xml))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _documents(base: str, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"doc": folder / "网页另存.doc", "html": folder / "网页.html",
             "docx": folder / "链接.docx"}
    paths["doc"].write_text(_html(base), encoding="utf-8")
    paths["html"].write_text(_html(base), encoding="utf-8")
    paths["docx"].write_bytes(_linked_docx(base))
    return paths


def _bare_libreoffice(paths: list[Path], folder: Path) -> None:
    """LibreOffice as it comes: a fresh profile of its defaults, the network there."""
    profile = (folder / "bare-profile").as_uri()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}",
                    "--convert-to", "pdf", "--outdir", str(folder / "bare"),
                    *map(str, paths)], capture_output=True, timeout=120, check=False)


def _import_and_convert(paths: dict[str, Path], folder: Path) -> None:
    result = run_xxgk("import", paths["doc"], paths["html"], "-o", folder / "imported")
    assert (folder / "imported").is_dir(), result.output
    outcomes = convert_each([paths["docx"]])
    assert isinstance(outcomes[0], bytes), outcomes  # converted, without fetching


def test_the_control_fetches(server: tuple[str, list[str]], tmp_path: Path) -> None:
    base, requests = server
    paths = _documents(base, tmp_path / "docs")
    _bare_libreoffice([paths["doc"], paths["docx"]], tmp_path)
    # Without our settings LibreOffice asks for the picture and the stylesheet of the page
    # saved as .doc, and for the .docx's linked picture.
    assert "/pixel.png" in requests
    assert "/style.css" in requests
    assert "/linked.png" in requests


def test_nothing_is_fetched(server: tuple[str, list[str]], tmp_path: Path) -> None:
    base, requests = server
    paths = _documents(base, tmp_path / "docs")
    _import_and_convert(paths, tmp_path)
    assert requests == []


def test_the_profile_alone_fetches_nothing(
    server: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where no network namespace can be had (Windows, macOS, a locked-down Linux), the
    # throw-away profile's settings must hold by themselves.
    monkeypatch.setattr(office, "network_isolation", lambda: ())
    base, requests = server
    paths = _documents(base, tmp_path / "docs")
    _import_and_convert(paths, tmp_path)
    assert requests == []


def test_the_profile_settings() -> None:
    settings = etree.fromstring(office.profile_settings().encode())
    props = {(item.get("{http://openoffice.org/2001/registry}path").rsplit("/", 1)[-1],
              prop.get("{http://openoffice.org/2001/registry}name")): prop.findtext("value")
             for item in settings for prop in item}
    assert props[("Scripting", "BlockUntrustedRefererLinks")] == "true"
    assert props[("Update", "Link")] == "2"  # never update links
    assert props[("Settings", "ooInetHTTPProxyName")] == "127.0.0.1"
    assert props[("Settings", "ooInetHTTPProxyPort")] == "9"
    assert props[("Settings", "ooInetHTTPSProxyPort")] == "9"
