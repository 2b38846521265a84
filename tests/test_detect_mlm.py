"""``unspin detect --mlm``: a user's masked LM as extra evidence, with a tiny BERT built here.

The model is a 2-layer BERT (hidden 32) with a WordPiece vocabulary learned from
the sample archive, trained for a couple of seconds on one archived article.
It knows that article by heart, so when a test writes a synonym in place of one
of its words ("Putin demonstrated the Hollywood actor where to sign") the model
has a real preference for the original, as an English model would.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from unspin import UnspinError
from unspin.cli import app
from unspin.detect import Detector
from unspin.detect.mlm import MaskedLM
from unspin.model import Document
from unspin.normalize import tokenize
from unspin.schema import detection_to_dict
from unspin.synthetic import Variant, make_variant

from .conftest import SAMPLES
from .test_cli import assert_clean_failure, unspin

ARTICLE = SAMPLES / "archive/coastal-wire/actor-russian-passport.txt"
SWAPS = {
    "showed": "demonstrated",
    "agreed": "concurred",
    "anger": "ire",
    "allowed": "permitted",
    "giant": "titan",
}
"""Original word -> the synonym a spinner wrote (first occurrence in the article)."""
TRAIN_STEPS = 150


def spin(text: str) -> str:
    for original, synonym in SWAPS.items():
        text = re.sub(rf"\b{original}\b", synonym, text, count=1)
    return text


@pytest.fixture(scope="module")
def tiny_mlm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A masked-LM folder, as ``save_pretrained`` writes it, of a model that knows ARTICLE."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    tokenizers = pytest.importorskip("tokenizers")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a model this small gains nothing from threads on a shared machine
    try:
        folder = tmp_path_factory.mktemp("tiny-mlm")
        tokenizer = _train_tokenizer(tokenizers, transformers)
        model = _train_model(torch, transformers, tokenizer)
        model.save_pretrained(folder)
        tokenizer.save_pretrained(folder)
        yield folder
    finally:
        torch.set_num_threads(threads)


def _train_tokenizer(tokenizers: Any, transformers: Any) -> Any:
    """WordPiece whose vocabulary is the sample archive's words, whole, and single letters.

    Words the archive never uses fall apart into pieces, as rare words do for a
    real model. (Built by hand: ``WordPieceTrainer`` breaks ties differently from
    run to run.)
    """
    normalizer = tokenizers.normalizers.BertNormalizer(lowercase=True)
    pre_tokenizer = tokenizers.pre_tokenizers.BertPreTokenizer()
    words: set[str] = set()
    for path in (SAMPLES / "archive").rglob("*.txt"):
        text = normalizer.normalize_str(path.read_text("utf-8"))
        words.update(word for word, _ in pre_tokenizer.pre_tokenize_str(text))
    letters = sorted({letter for word in words for letter in word})
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocabulary = [*specials, *letters, *(f"##{c}" for c in letters), *sorted(words - set(letters))]
    wordpiece = tokenizers.Tokenizer(
        tokenizers.models.WordPiece({t: i for i, t in enumerate(vocabulary)}, unk_token="[UNK]")
    )
    wordpiece.normalizer = normalizer
    wordpiece.pre_tokenizer = pre_tokenizer
    wordpiece.post_processor = tokenizers.processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    return transformers.PreTrainedTokenizerFast(
        tokenizer_object=wordpiece,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=128,
    )


def _train_model(torch: Any, transformers: Any, tokenizer: Any) -> Any:
    """BERT trained on overlapping 64-token windows of ARTICLE, 20% of tokens masked."""
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    model = transformers.BertForMaskedLM(config)
    body = tokenizer(ARTICLE.read_text("utf-8"), add_special_tokens=False, verbose=False)
    ids = body["input_ids"]
    cls, sep, pad, mask = (
        tokenizer.convert_tokens_to_ids(t) for t in ("[CLS]", "[SEP]", "[PAD]", "[MASK]")
    )
    windows = [[cls, *ids[i : i + 62], sep] for i in range(0, max(len(ids) - 62, 0) + 32, 32)]
    width = max(map(len, windows))
    batch = torch.tensor([w + [pad] * (width - len(w)) for w in windows])
    attention = (batch != pad).long()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    generator = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(TRAIN_STEPS):
        inputs = batch.clone()
        masked = (torch.rand(inputs.shape, generator=generator) < 0.2) & (inputs > mask)
        targets = inputs[masked]
        inputs[masked] = mask
        # The output layer only where it is needed: the masked positions.
        hidden = model.bert(input_ids=inputs, attention_mask=attention).last_hidden_state
        loss = torch.nn.functional.cross_entropy(model.cls(hidden[masked]), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    return model


@pytest.fixture(scope="module")
def masked_lm(tiny_mlm: Path) -> MaskedLM:
    return MaskedLM(tiny_mlm)


@pytest.fixture(scope="module")
def detectors(masked_lm: MaskedLM) -> tuple[Detector, Detector]:
    """The shipped model without and with the masked LM."""
    plain = Detector()
    return plain, Detector(plain.model, mlm=masked_lm)


def test_pll_gap_prefers_the_learned_original(
    masked_lm: MaskedLM, detectors: tuple[Detector, Detector]
) -> None:
    extractor = detectors[0].extractor
    article = ARTICLE.read_text("utf-8")
    spun = spin(article)
    # The texts are longer than the model's 128 positions: words are read in windows.
    assert len(masked_lm._tokenizer(article)["input_ids"]) > 128
    # Rare words are several subwords, each scored with the rest of the word masked.
    assert len(masked_lm._tokenizer.tokenize("demonstrated")) > 1

    slots = [slot for slot in extractor.slots(spun) if slot.word in SWAPS.values()]
    found = dict(zip((s.word for s in slots), masked_lm.score(spun, slots), strict=False))
    for original, synonym in SWAPS.items():
        likelihood = found[synonym]
        assert likelihood.gap > 0, synonym
        assert max(likelihood.candidates, key=likelihood.candidates.__getitem__) == original

    slots = [slot for slot in extractor.slots(article) if slot.word in SWAPS]
    found = dict(zip((s.word for s in slots), masked_lm.score(article, slots), strict=False))
    for original in SWAPS:
        assert found[original].gap < 0, original  # written as learned: no other word is better


def test_output_layer_at_masked_positions_only_changes_nothing(
    masked_lm: MaskedLM, detectors: tuple[Detector, Detector]
) -> None:
    text = spin("Both men agreed it must be an absolutely depoliticised act, the spokesman said.")
    slots = detectors[0].extractor.slots(text)
    fast = masked_lm.score(text, slots)
    masked_lm._select_in_head = False
    try:
        full = masked_lm.score(text, slots)
    finally:
        masked_lm._select_in_head = True
    assert [f.written for f in fast] == pytest.approx([f.written for f in full], abs=1e-4)
    assert [f.gap for f in fast] == pytest.approx([f.gap for f in full], abs=1e-4)


@pytest.fixture(scope="module")
def variant() -> Variant:
    """The article with 30% of its words swapped by the test-data spinner (truth known)."""
    article = Document(id="passport", text=ARTICLE.read_text("utf-8"))
    return make_variant("spun", [article], rate=0.3, seed=1)


def test_detector_flags_more_swaps_and_suggests_what_the_model_learned(
    detectors: tuple[Detector, Detector], variant: Variant
) -> None:
    plain, helped = detectors
    text = variant.text
    truth = {(s.start, s.end): s.original.lower() for s in variant.swaps if s.text and s.original}
    before = {(f.start, f.end) for f in plain.detect(text).flags}
    after = {(f.start, f.end): f for f in helped.detect(text).flags}
    found = sorted(after.keys() & truth.keys())
    assert len(found) > len(before & truth.keys())
    assert len(found) >= 0.6 * len(after)  # what the model adds is mostly real swaps

    def first(suggestions: tuple[str, ...], span: tuple[int, int]) -> bool:
        return bool(suggestions) and suggestions[0].lower() == truth[span]

    tokens = tokenize(text)
    slots = {(slot.start, slot.end): slot for slot in plain.extractor.slots(text, tokens)}
    found = [span for span in found if span in slots]  # one-word swaps: the ranker's work
    ranker_only = {span: plain.suggest(text, slots[span], tokens) for span in found}
    assert any(after[span].suggestions != ranker_only[span] for span in found)  # reordered
    with_model = sum(first(after[span].suggestions, span) for span in found)
    assert with_model >= sum(first(ranker_only[span], span) for span in found)
    assert with_model >= 0.5 * len(found)


def test_evidence_is_bounded_and_weight_zero_changes_nothing(
    tiny_mlm: Path, masked_lm: MaskedLM, detectors: tuple[Detector, Detector], variant: Variant
) -> None:
    assert masked_lm.evidence(1e9) == masked_lm.max_evidence == -masked_lm.evidence(-1e9)
    plain = detectors[0]
    idle = Detector(plain.model, mlm=MaskedLM(tiny_mlm, weight=0.0))
    assert idle.detect(variant.text) == plain.detect(variant.text)


def test_cli_detect_with_mlm_gives_what_the_api_gives(
    tiny_mlm: Path, detectors: tuple[Detector, Detector], variant: Variant, tmp_path: Path
) -> None:
    suspect = tmp_path / "suspect.txt"
    suspect.write_text(variant.text, "utf-8")
    # In this process (PyTorch is loaded already); the failure test below runs the real one.
    done = CliRunner().invoke(app, ["detect", str(suspect), "--mlm", str(tiny_mlm), "--json"])
    assert done.exit_code == 0, done.output
    assert done.stderr == ""  # no loading chatter, no progress bars
    (result,) = [json.loads(line) for line in done.stdout.splitlines()]
    expected = detection_to_dict(detectors[1].detect(variant.text, doc_id="suspect.txt"))
    assert result == expected
    assert result["flags"]


def _write_config(folder: Path, **config: object) -> Path:
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(config), "utf-8")
    return folder


def test_bad_mlm_folders_fail_with_one_line(tmp_path: Path) -> None:
    a_file = tmp_path / "model.bin"
    a_file.write_bytes(b"weights")
    (tmp_path / "empty").mkdir()
    causal = _write_config(tmp_path / "gpt2", architectures=["GPT2LMHeadModel"])
    cases = {
        tmp_path / "nope": "no such folder",
        a_file: "not a folder",
        tmp_path / "empty": "no config.json",
        causal: "GPT2LMHeadModel is not a masked language model",
    }
    for path, needle in cases.items():
        with pytest.raises(UnspinError, match=re.escape(needle)):
            MaskedLM(path)
    done = unspin("detect", ARTICLE, "--mlm", causal)
    assert done.returncode == 2
    assert_clean_failure(done, "GPT2LMHeadModel is not a masked language model")
    assert len(done.stderr.strip().splitlines()) == 1


def test_folders_that_load_but_are_no_masked_lm(tiny_mlm: Path, tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    no_type = _write_config(tmp_path / "gpt2", model_type="gpt2")
    with pytest.raises(UnspinError, match="model type 'gpt2' is not a masked language model"):
        MaskedLM(no_type)
    no_weights = tmp_path / "no-weights"
    no_weights.mkdir()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        (no_weights / name).write_bytes((tiny_mlm / name).read_bytes())
    with pytest.raises(UnspinError, match="cannot load the model"):
        MaskedLM(no_weights)


def test_missing_extra_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _write_config(tmp_path / "bert", architectures=["BertForMaskedLM"])
    monkeypatch.setitem(sys.modules, "torch", None)  # as if PyTorch were not installed
    with pytest.raises(UnspinError, match=re.escape("pip install 'unspin[mlm]'")):
        MaskedLM(folder)
    done = CliRunner().invoke(app, ["detect", str(ARTICLE), "--mlm", str(folder)])
    assert done.exit_code == 2
    assert "PyTorch and transformers" in done.stderr and "'unspin[mlm]'" in done.stderr
