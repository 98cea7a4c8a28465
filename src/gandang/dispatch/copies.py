"""Does this month's report recycle last month's? The copy detector of the monthly dispatch.

Units that have nothing new to say file last month's report again, and they rarely file it
verbatim: the sentences are put in another order (一是/二是 renumbered), the figures are updated
(本月完成7宗 → 9宗, 1.2亿元 → 一点三亿元), a short sentence is appended, one is dropped, or the
punctuation and line breaks change. A character-by-character ratio (difflib) drops to 0.5 on a
report whose sentences were only shuffled, and a genuine next-month report of the same item shares a
lot of vocabulary with last month's (the item's title, the unit and place names, a problem that
persists), so neither "similar characters" nor "same words" tells them apart.

What does is the share of this month's text that was already in last month's report:

* both texts are normalised: NFKC (full-width digits and punctuation to plain ones), lower case,
  and every number, Arabic or Chinese (12, 1.36亿, 二〇二四, 五千二百万), becomes "#", so changed
  figures and dates read the same;
* each text is cut into clauses at the punctuation that ends a clause (，。；：！？ and line
  breaks); other punctuation and all spaces are dropped, so reordering sentences or clauses and
  changing quotes, commas or layout changes nothing;
* each clause gives its overlapping 4-character shingles (a clause shorter than that is one
  shingle); four characters are about two Chinese words, long enough that shared topic words
  alone ("要素市场化配置改革") are a small part of a genuinely new report, short enough that a
  touched word only spoils the few shingles around it;
* the similarity is the containment of this month's shingles in last month's:
  |this ∩ last| / |this|. Containment, not the symmetric Jaccard index, because dropping a
  sentence from last month's report leaves nothing new (still 1.0), and appending one short
  sentence to it leaves most of it recycled (about 0.9).

On the labelled set in bench/copy_pairs.json (bench/copy_bench.py) copies score 0.86 and more,
genuinely new next-month reports 0.71 and less (most under 0.4); the threshold
(settings.GANDANG_COPY_THRESHOLD, GANDANG_COPY_THRESHOLD_PERCENT, default 80) sits between. It
is pure Python, set operations over a few thousand shingles: well under a millisecond for
a report of a few hundred characters, a few milliseconds at the 2,000-character field limit.
"""

from __future__ import annotations

import re
import unicodedata

SHINGLE = 4

# A number, Arabic (12, 1.36, 3,200) or Chinese (十二, 二〇二四, 一点二, 五千二百), with a 万/亿 scale.
# Chinese numerals inside words (统一, 进一步) become "#" too: the same on both sides, so harmless.
_NUMBER = re.compile(
    r"(?:\d+(?:[.,]\d+)*|[〇零一二两三四五六七八九十百千万亿]+(?:点[〇零一二三四五六七八九]+)?)+"
)
# What ends a clause; after NFKC the full-width marks are ASCII ones, except 。、 and the like.
_CLAUSE_END = re.compile(r"[,，.。;；:：!！?？\n]+")
_NOT_WORD = re.compile(r"[^\w#]+|_")


def clauses(text: str) -> list[str]:
    """The text's clauses, normalised: numbers as "#", no punctuation, no spaces."""
    text = _NUMBER.sub("#", unicodedata.normalize("NFKC", text).lower())
    return [c for c in (_NOT_WORD.sub("", part) for part in _CLAUSE_END.split(text)) if c]


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The overlapping `size`-character pieces of the text's clauses (never across two clauses)."""
    out: set[str] = set()
    for clause in clauses(text):
        if len(clause) <= size:
            out.add(clause)
        else:
            out.update(clause[i : i + size] for i in range(len(clause) - size + 1))
    return out


def similarity(this: str, last: str) -> float:
    """The share (0–1) of this month's text already in last month's, numbers and order ignored.

    Not symmetric: `this` is the new report, `last` the one it may recycle. Empty text gives 0.
    """
    mine = shingles(this)
    if not mine:
        return 0.0
    return len(mine & shingles(last)) / len(mine)
