"""An optional signal: how much a user-supplied masked language model prefers another word.

A synonym spinner writes a word that fits its context worse than the word it
replaced ("the president presented the actor where to sign"). A masked
language model reads the whole context on both sides, which the n-gram and
GloVe signals of :mod:`.features` cannot, so it can say how likely each
candidate original is *here*. No such model ships with unspin (English ones
are hundreds of megabytes); a user points ``unspin detect --mlm PATH`` at a
local Hugging Face masked-LM folder (``save_pretrained`` output). Nothing is
ever downloaded: loading is ``local_files_only`` with the hub offline.

The score of a word in a context is its pseudo-log-likelihood (PLL, Salazar et
al. 2020): mask its subword tokens and sum the log-probabilities the model gives
the true ones. A word of several subwords is scored one subword at a time with
that subword *and the ones after it* masked (the "within-word left-to-right"
variant of Kauf & Ivanova 2023): with only one subword masked, the rest of the
word gives it away, and long rare words ("demonstrated" = "demon ##strated")
would look as likely as short common ones. The signal for a slot is

    gap = max over candidates c of PLL(c) - PLL(written word)

in nats, in the same context: positive when the model would rather read another
word there. PyTorch and transformers are imported only when a model is loaded,
so unspin works without the ``unspin[mlm]`` extra.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unspin.detect.features import WordSlot, same_case
from unspin.errors import FeatureUnavailable, UnspinError

INSTALL_HINT = "install the extra: pip install 'unspin[mlm]'"

MAX_CANDIDATES = 8
"""Candidates scored per word (the most likely first): each costs a model pass or more."""
CONTEXT_TOKENS = 32
"""Subword tokens of context on each side of the word: a sentence or two, which is
what decides between synonyms; longer windows cost time and change little."""
GAP_CLIP = 4.0
"""Gaps are clipped to +-4 nats (a likelihood ratio of about 55): beyond that the
model is more likely wrong about the text (a name, a typo, a domain it never saw)
than the word is more surely swapped."""
WEIGHT = 0.5
"""Log-odds added per nat of gap. A calibrated language model's gap is a log
likelihood ratio, which naive Bayes would add at weight 1; the detector's own
features already carry part of the same evidence (the written word is rarer or
fits its neighbours worse than a synonym), so it is counted half."""
_MASKED_LM_ARCHITECTURES = ("ForMaskedLM", "ForPreTraining")
_LOGITS_BUDGET = 1 << 25
"""Floats of logits per batch (128 MiB): bounds memory whatever the vocabulary."""


@dataclass(frozen=True, slots=True)
class SlotLikelihood:
    """Pseudo-log-likelihoods (nats) of a slot's written word and of its candidates."""

    written: float | None
    """None when the model cannot score the written word (its tokenizer does not know it)."""
    candidates: Mapping[str, float]
    """Candidate (lowercase, as in ``slot.candidates``) -> PLL, for those scored."""

    @property
    def gap(self) -> float:
        """Best candidate's PLL minus the written word's; 0 (no evidence) when unknown."""
        if self.written is None or not self.candidates:
            return 0.0
        return max(self.candidates.values()) - self.written


@dataclass(frozen=True, slots=True)
class _Row:
    """One model input: a context with some tokens masked, and the position to read."""

    ids: tuple[int, ...]
    position: int


class MaskedLM:
    """A local masked language model that scores words in context; reuse one for many texts.

    ``path`` is a folder written by ``save_pretrained`` (config, weights, fast
    tokenizer). Raises UnspinError, with one line that says what to fix, when the
    folder is missing, is no masked LM, or PyTorch/transformers are not installed.
    ``weight`` is the log-odds per nat of gap (see :data:`WEIGHT`: a model much
    better or worse than the detector's own signals may deserve more or less);
    ``max_candidates`` and ``context`` trade accuracy for time. The model runs on
    the CPU, with PyTorch's threads.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        weight: float = WEIGHT,
        max_candidates: int = MAX_CANDIDATES,
        context: int = CONTEXT_TOKENS,
    ) -> None:
        self.path = Path(path)
        self.weight = weight
        self.max_candidates = max_candidates
        _check_folder(self.path)
        torch, transformers = _import_backend()
        self._torch = torch
        with _quiet(transformers):
            self._tokenizer, self._model = _load(self.path, transformers)
        tokenizer = self._tokenizer
        self._mask_id: int = int(tokenizer.mask_token_id)
        pad = tokenizer.pad_token_id
        self._pad_id: int = int(pad) if pad is not None else 0
        unknown = tokenizer.unk_token_id
        self._unknown_id: int | None = int(unknown) if unknown is not None else None
        limit = int(getattr(self._model.config, "max_position_embeddings", 512))
        if 0 < int(tokenizer.model_max_length) < 1_000_000:
            limit = min(limit, int(tokenizer.model_max_length))
        self._max_length = limit
        # Room for the special tokens and a word of up to 16 subwords.
        self._context = max(1, min(context, (limit - 2 - 16) // 2))
        vocabulary = int(getattr(self._model.config, "vocab_size", len(tokenizer)))
        self._batch_tokens = max(512, _LOGITS_BUDGET // max(vocabulary, 1))
        self._select_in_head = True

    @property
    def max_evidence(self) -> float:
        """The most log-odds one word's gap can add or take away."""
        return self.weight * GAP_CLIP

    def evidence(self, gap: float) -> float:
        """Log-odds to add to a word's swap logit for this gap."""
        return self.weight * min(max(gap, -GAP_CLIP), GAP_CLIP)

    def rank_evidence(self, likelihood: SlotLikelihood, candidates: Sequence[str]) -> list[float]:
        """Log-odds to add to each candidate's ranker score: its PLL against the best one's.

        Measured from the best candidate, not the written word, so that the order
        survives the clip when every candidate beats a very unlikely written word.
        Candidates the model did not score get the least the clip allows.
        """
        plls = likelihood.candidates
        if not plls:
            return [0.0] * len(candidates)
        best = max(plls.values())
        return [
            self.weight * max(plls.get(c, best - GAP_CLIP) - best, -GAP_CLIP) for c in candidates
        ]

    def score(self, text: str, slots: Sequence[WordSlot]) -> list[SlotLikelihood]:
        """For each slot, the PLLs of the written word and of its first candidates.

        Each word is scored in a window of ``context`` subword tokens on each side
        (so texts of any length fit the model), one masked word at a time; all the
        texts' masked copies run through the model together, in batches.
        """
        encoded = self._tokenizer(
            text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        offsets = [(int(s), int(e)) for s, e in encoded["offset_mapping"]]
        ends = [e for _, e in offsets]
        variants: list[tuple[str, int, int]] = []  # (window text, word start, word end)
        owners: list[tuple[int, str | None]] = []  # (slot, candidate or None = written)
        for number, slot in enumerate(slots):
            candidates = slot.candidates[: self.max_candidates]
            if not candidates or not offsets:
                continue
            first = min(bisect.bisect_right(ends, slot.start), len(offsets) - 1)
            last = min(max(bisect.bisect_left(ends, slot.end), first), len(offsets) - 1)
            low = max(0, first - self._context)
            high = min(len(offsets), last + 1 + self._context)
            begin = min(offsets[low][0], slot.start)
            finish = max(offsets[high - 1][1], slot.end)
            before, after = text[begin : slot.start], text[slot.end : finish]
            written = text[slot.start : slot.end]
            for candidate in (None, *candidates):
                word = written if candidate is None else same_case(candidate, written)
                variants.append((before + word + after, len(before), len(before) + len(word)))
                owners.append((number, candidate))
        totals = self._variant_plls(variants)
        written_pll: dict[int, float | None] = {}
        candidate_plls: dict[int, dict[str, float]] = {}
        for (number, candidate), total in zip(owners, totals, strict=True):
            if candidate is None:
                written_pll[number] = total
            elif total is not None:
                candidate_plls.setdefault(number, {})[candidate] = total
        return [
            SlotLikelihood(written_pll.get(number), candidate_plls.get(number, {}))
            for number in range(len(slots))
        ]

    def _variant_plls(self, variants: Sequence[tuple[str, int, int]]) -> list[float | None]:
        """The PLL of the marked word of each window text (None: a token the model lacks)."""
        if not variants:
            return []
        encoded = self._tokenizer(
            [window for window, _, _ in variants],
            return_offsets_mapping=True,
            truncation=True,
            max_length=self._max_length,
            verbose=False,
        )
        # Words of the same number of subwords in the same context share their first
        # masked input (all of the word masked), and single-subword words all of it:
        # one model pass answers for every candidate asked of the same input.
        rows: dict[_Row, int] = {}
        asks: list[tuple[int, int, int]] = []  # (row, target token, variant)
        usable = [True] * len(variants)
        for number, (_, start, end) in enumerate(variants):
            ids = [int(i) for i in encoded["input_ids"][number]]
            spans = encoded["offset_mapping"][number]
            positions = [p for p, (s, e) in enumerate(spans) if e > s and s < end and e > start]
            if not positions or any(ids[p] == self._unknown_id for p in positions):
                usable[number] = False
                continue
            for i, position in enumerate(positions):
                masked = list(ids)
                for later in positions[i:]:
                    masked[later] = self._mask_id
                row = rows.setdefault(_Row(tuple(masked), position), len(rows))
                asks.append((row, ids[position], number))
        totals = [0.0] * len(variants)
        found = self._log_probabilities(list(rows), [(row, target) for row, target, _ in asks])
        for (_, _, number), log_probability in zip(asks, found, strict=True):
            totals[number] += log_probability
        return [total if ok else None for total, ok in zip(totals, usable, strict=True)]

    def _log_probabilities(
        self, rows: Sequence[_Row], asks: Sequence[tuple[int, int]]
    ) -> list[float]:
        """log P(token | row's masked ids) for each (row, token) asked, batched by length."""
        torch = self._torch
        asked: list[list[int]] = [[] for _ in rows]
        for number, (row, _) in enumerate(asks):
            asked[row].append(number)
        found = [0.0] * len(asks)
        order = sorted(range(len(rows)), key=lambda r: len(rows[r].ids))
        with torch.inference_mode():
            for batch in _batches(order, rows, self._batch_tokens):
                width = max(len(rows[r].ids) for r in batch)
                ids = torch.full((len(batch), width), self._pad_id, dtype=torch.long)
                attention = torch.zeros((len(batch), width), dtype=torch.long)
                for line, r in enumerate(batch):
                    length = len(rows[r].ids)
                    ids[line, :length] = torch.tensor(rows[r].ids, dtype=torch.long)
                    attention[line, :length] = 1
                lines = torch.arange(len(batch))
                positions = torch.tensor([rows[r].position for r in batch], dtype=torch.long)
                logits = self._masked_logits(ids, attention, lines, positions)
                picked = torch.log_softmax(logits.float(), dim=-1)
                numbers = [n for r in batch for n in asked[r]]
                at_lines = [line for line, r in enumerate(batch) for _ in asked[r]]
                targets = [asks[n][1] for n in numbers]
                values = picked[torch.tensor(at_lines), torch.tensor(targets)].tolist()
                for n, value in zip(numbers, values, strict=True):
                    found[n] = float(value)
        return found

    def _masked_logits(self, ids: Any, attention: Any, lines: Any, positions: Any) -> Any:
        """The vocabulary logits at one position per row: ``(rows, vocabulary)``.

        The output layer is as wide as the vocabulary, so computing it at every
        position would cost as much as the rest of a small model (a fifth of
        BERT's time): a hook hands it only the masked positions. Every masked-LM
        head works position by position, so the result is the same; a model whose
        output comes back in another shape is run in full from then on.
        """
        head = self._model.get_output_embeddings() if self._select_in_head else None
        if head is not None:

            def select(_module: Any, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
                hidden = args[0]
                return (hidden[lines, positions], *args[1:]) if hidden.dim() == 3 else None

            handle = head.register_forward_pre_hook(select)
            try:
                logits = self._model(input_ids=ids, attention_mask=attention).logits
            except (RuntimeError, IndexError, ValueError):
                logits = None
            finally:
                handle.remove()
            if logits is not None and tuple(logits.shape[:-1]) == (len(lines),):
                return logits
            self._select_in_head = False
        logits = self._model(input_ids=ids, attention_mask=attention).logits
        return logits[lines, positions]


def load_mlm(mlm: MaskedLM | Path | str | None) -> MaskedLM | None:
    """A :class:`MaskedLM` from itself, a folder, or None (no model)."""
    if mlm is None or isinstance(mlm, MaskedLM):
        return mlm
    return MaskedLM(mlm)


def _batches(order: Sequence[int], rows: Sequence[_Row], budget: int) -> Iterator[list[int]]:
    """Runs of ``order`` whose padded size (rows x longest) stays within ``budget`` tokens."""
    batch: list[int] = []
    for r in order:
        width = len(rows[r].ids)  # sorted: the newest row is the longest
        if batch and (len(batch) + 1) * width > budget:
            yield batch
            batch = []
        batch.append(r)
    if batch:
        yield batch


def _check_folder(path: Path) -> None:
    """Cheap checks before PyTorch is imported: a folder whose config names a masked LM."""
    hint = "--mlm needs a local Hugging Face masked-LM folder (save_pretrained output)"
    if not path.exists():
        raise UnspinError(f"{path}: no such folder; {hint}")
    if not path.is_dir():
        raise UnspinError(f"{path}: not a folder; {hint}")
    config_file = path / "config.json"
    if not config_file.is_file():
        raise UnspinError(f"{path}: not a masked-LM folder (no config.json); {hint}")
    try:
        config = json.loads(config_file.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnspinError(f"{config_file}: unreadable ({error}); {hint}") from None
    if not isinstance(config, dict):
        raise UnspinError(f"{config_file}: not a model config; {hint}")
    architectures = config.get("architectures") or []
    if architectures and not any(
        str(name).endswith(_MASKED_LM_ARCHITECTURES) for name in architectures
    ):
        raise UnspinError(
            f"{path}: {', '.join(map(str, architectures))} is not a masked language model "
            "(expected e.g. BertForMaskedLM or RobertaForMaskedLM)"
        )


def _import_backend() -> tuple[Any, Any]:
    """PyTorch and transformers, imported now, with the hub offline for good."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        import transformers
    except ImportError as error:
        raise FeatureUnavailable(
            f"--mlm needs PyTorch and transformers ({error.name or 'a module'} is missing): "
            f"{INSTALL_HINT}"
        ) from None
    return torch, transformers


@contextlib.contextmanager
def _quiet(transformers: Any) -> Iterator[None]:
    """Silence transformers' loading chatter: problems become UnspinErrors instead."""
    logging = transformers.logging
    before, bars = logging.get_verbosity(), logging.is_progress_bar_enabled()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        logging.set_verbosity(before)
        if bars:
            logging.enable_progress_bar()


def _load(path: Path, transformers: Any) -> tuple[Any, Any]:
    """The fast tokenizer and the model in eval mode, from local files only."""
    try:
        config = transformers.AutoConfig.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError, KeyError) as error:
        raise UnspinError(f"{path}: unusable model config ({_first_line(error)})") from None
    if type(config) not in transformers.MODEL_FOR_MASKED_LM_MAPPING:
        raise UnspinError(
            f"{path}: model type {config.model_type!r} is not a masked language model "
            "(expected e.g. bert, roberta, distilbert)"
        )
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UnspinError(f"{path}: no usable tokenizer ({_first_line(error)})") from None
    if not getattr(tokenizer, "is_fast", False):
        raise UnspinError(f"{path}: needs a fast tokenizer (tokenizer.json) for word offsets")
    if tokenizer.mask_token_id is None:
        raise UnspinError(f"{path}: its tokenizer has no mask token, so it is no masked LM")
    try:
        model, info = transformers.AutoModelForMaskedLM.from_pretrained(
            path, local_files_only=True, output_loading_info=True
        )
    except (OSError, ValueError, KeyError, RuntimeError) as error:
        raise UnspinError(f"{path}: cannot load the model ({_first_line(error)})") from None
    missing = list(info.get("missing_keys") or [])
    if missing:
        raise UnspinError(
            f"{path}: the weights lack {len(missing)} masked-LM parameters (e.g. {missing[0]}): "
            "not a masked-LM checkpoint"
        )
    model.eval()
    return tokenizer, model


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
