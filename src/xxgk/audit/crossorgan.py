"""Paragraphs one organ's report shares with another organ's of the batch (「与其他单位雷同」).

Every paragraph becomes a set of 5-character shingles of its normalised text (numbers folded, so
a paragraph copied with its counts changed still matches). Set phrases are not copying: shingles
of the national format's fixed sentences, and shingles that many organs of the batch use, are left
out before anything is compared. Paragraphs are compared by a fixed sample of their shingles
(those whose middle character has an even code point: about half, chosen by content, so the same
shingle is sampled in every paragraph and the samples' overlap estimates the whole's — and the
same on every run, unlike Python's salted ``hash``), through an inverted index from shingle to
paragraphs: only paragraphs that share sampled shingles are ever compared, never all pairs.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from xxgk.audit.record import AuditRecord
from xxgk.audit.samples import paragraph_samples
from xxgk.errors import Finding, warning
from xxgk.pairing import organ_key

SAMPLE = 2  # about one shingle in SAMPLE goes into the index
SHARED_PARAGRAPH = 0.8  # share of the shorter paragraph's own shingles found in the other
MIN_SHARED_SHINGLES = 24  # and at least this many shingles besides set phrases (~ a clause)
SET_PHRASE_ORGANS = 4  # a shingle used by more organs than this (or 10% of them) is a set phrase
SET_PHRASE_SHARE = 0.1
FINDING_SHARE = 0.3  # share of a report's narrative shared with one organ that makes a finding
FINDING_CHARACTERS = 300  # or this many characters shared with one organ

@dataclass(frozen=True)
class SharedParagraph:
    """One paragraph of organ A's report found in organ B's."""

    place_a: str
    text_a: str
    place_b: str
    text_b: str
    share: float  # of the shorter paragraph's own (sampled) shingles found in the other


@dataclass(frozen=True)
class CopiedPair:
    """Two reports of different organs and the paragraphs they share."""

    a: AuditRecord
    b: AuditRecord
    paragraphs: tuple[SharedParagraph, ...]
    share_a: float  # of A's narrative (characters) in the shared paragraphs
    share_b: float

    @property
    def characters(self) -> int:
        """Characters of A's shared paragraphs."""
        return sum(len(p.text_a) for p in self.paragraphs)


@dataclass
class _Paragraph:
    record: int
    place: str
    text: str
    sample: frozenset[str]  # the sampled shingles (audit/samples.py)


def _paragraphs(records: Sequence[AuditRecord]) -> list[_Paragraph]:
    found = []
    for index, record in enumerate(records):
        if not record.organ:
            continue
        # Sampled where the record was made (in the audit's worker processes), else here.
        samples = record.samples or paragraph_samples(record.organ, record.paragraphs)
        for (place, text), sample in zip(record.paragraphs, samples, strict=True):
            if sample:
                found.append(_Paragraph(index, place, text, sample))
    return found


def copied_pairs(records: Sequence[AuditRecord]) -> list[CopiedPair]:
    """Every pair of reports of different organs that share paragraphs, most shared first."""
    keys = [organ_key(r.organ) for r in records]
    paragraphs = _paragraphs(records)
    # How many reports use each sampled shingle (counted once per report; one set per report,
    # never one per shingle: millions of small sets cost more than the whole audit).
    used: Counter[str] = Counter()
    for _, group in itertools.groupby(paragraphs, key=lambda p: p.record):
        used.update(set().union(*(p.sample for p in group)))
    organs = len({k for k in keys if k})
    limit = max(SET_PHRASE_ORGANS, int(SET_PHRASE_SHARE * organs))
    # A paragraph's size leaves set phrases out; only shingles of 2..limit reports link two
    # paragraphs (set operations, in C: most shingles are a single report's).
    common = {h for h, n in used.items() if n > limit}
    linking = {h for h, n in used.items() if 1 < n <= limit}
    sizes = [len(p.sample) - len(p.sample & common) for p in paragraphs]
    links = [p.sample & linking for p in paragraphs]
    index: defaultdict[str, list[int]] = defaultdict(list)
    for n, shared in enumerate(links):
        for h in shared:
            index[h].append(n)
    matches: defaultdict[tuple[int, int], list[SharedParagraph]] = defaultdict(list)
    for n, p in enumerate(paragraphs):
        if sizes[n] * SAMPLE < MIN_SHARED_SHINGLES or not links[n]:
            continue
        hits = Counter(m for h in links[n] for m in index[h] if m > n)
        for m, count in hits.items():
            q = paragraphs[m]
            if keys[q.record] == keys[p.record]:
                continue
            # Each shingle is in a paragraph's sample once: count is the samples' intersection.
            share = count / max(min(sizes[n], sizes[m]), 1)
            if share >= SHARED_PARAGRAPH and count * SAMPLE >= MIN_SHARED_SHINGLES:
                matches[(p.record, q.record)].append(
                    SharedParagraph(p.place, p.text, q.place, q.text, share)
                )
    pairs = [_pair(records, a, b, shared) for (a, b), shared in matches.items()]
    return sorted(pairs, key=lambda pair: -max(pair.share_a, pair.share_b))


def _narrative_length(record: AuditRecord) -> int:
    return sum(len(text) for _, text in record.paragraphs) or 1


def _pair(
    records: Sequence[AuditRecord], a: int, b: int, shared: list[SharedParagraph]
) -> CopiedPair:
    chars_a = sum(len(text) for text in {p.text_a for p in shared})
    chars_b = sum(len(text) for text in {p.text_b for p in shared})
    return CopiedPair(
        records[a], records[b], tuple(shared),
        chars_a / _narrative_length(records[a]), chars_b / _narrative_length(records[b]),
    )


def copy_findings(pairs: Sequence[CopiedPair]) -> dict[int, list[Finding]]:
    """A warning for each report (by id of its record) sharing much of its text with another's."""
    findings: defaultdict[int, list[Finding]] = defaultdict(list)
    for pair in pairs:
        for mine, theirs, share in ((pair.a, pair.b, pair.share_a), (pair.b, pair.a, pair.share_b)):
            if share < FINDING_SHARE and pair.characters < FINDING_CHARACTERS:
                continue
            findings[id(mine)].append(warning(
                "copy/other-organ", ("正文",),
                f"有 {len(pair.paragraphs)} 段与「{theirs.organ}」的报告相同或几乎相同"
                f"（占本报告正文 {share:.0%}），见「与其他机关雷同」表",
            ))
    return dict(findings)
