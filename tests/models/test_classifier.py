import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from models.classifier import CONFIG_FILE, Classifier, SentenceInput, UnknownTargetError, rescale_neutral
from models.encoder import ModelFolderError
from models.schema import ModelConfigError

ARTICLE = (
    "Kurti: We will not back down\n\n"
    "PRISTINA, May 30 - Kosovo Prime Minister Albin Kurti said on Tuesday that police would stay. "
    '"Belgrade must stop," he told reporters. "We will protect every citizen."'
)


def test_article_gives_sentences_in_the_documented_shape(classifier: Classifier) -> None:
    results = classifier.classify_text(ARTICLE)
    assert len(results) == 4
    for i, result in enumerate(results):
        row = result.as_dict()
        assert row["index"] == i
        assert ARTICLE[row["start"] : row["end"]] == row["text"]
        assert set(row) == {"index", "text", "start", "end", "type", "attribution", "stance"}
        assert row["type"]["label"] in ("fact", "quote", "opinion")
        assert sum(row["type"]["scores"].values()) == pytest.approx(1.0, abs=1e-3)
        assert list(row["stance"]) == ["Kosovo", "Serbia", "NATO"]
        for target in row["stance"].values():
            assert set(target) == {"label", "scores", "mentioned"}
            assert target["label"] == max(target["scores"], key=target["scores"].get)
        if row["type"]["label"] != "quote":
            assert row["attribution"] is None
        else:
            for kind in ("source", "cue", "content"):
                span = row["attribution"][kind]
                if span:
                    assert row["text"][span["start"] : span["end"]] == span["text"]
    assert results[1].stance["Kosovo"].mentioned is True  # aliases, whatever the weights say


def test_pre_split_sentences_have_no_article_offsets(classifier: Classifier) -> None:
    results = classifier.classify_sentences(["KFOR troops used tear gas.", "Serbia beat Spain."])
    assert [(r.start, r.end) for r in results] == [(None, None), (None, None)]
    assert results[0].stance["NATO"].mentioned and results[1].stance["Serbia"].mentioned


def test_empty_text_gives_no_sentences(classifier: Classifier) -> None:
    assert classifier.classify_text("") == []
    assert classifier.classify_text(" \n\n ") == []
    assert classifier.classify_documents([]) == []


def test_batching_does_not_change_results(classifier: Classifier) -> None:
    texts = ["A short one.", "A much longer sentence " * 20, "Medium length, with a comma."]
    together = [r for doc in classifier.classify_documents([[SentenceInput(t)] for t in texts]) for r in doc]
    single = [classifier.classify_sentences([t])[0] for t in texts]
    for a, b in zip(together, single, strict=True):
        assert a.type_scores == pytest.approx(b.type_scores, abs=1e-4)
        for target in a.stance:
            assert a.stance[target].scores == pytest.approx(b.stance[target].scores, abs=1e-4)


@pytest.mark.parametrize("runtime", ["torch", "onnx-int8"])
def test_parallel_batches_give_each_sentence_its_own_result(tiny_model: Path, runtime: str) -> None:
    # Many batches of different lengths, run on three workers: every row must land in its own slot.
    texts = [("Serbia and NATO talk. " * (1 + i % 7)) + f"Item {i}." for i in range(40)]
    documents = [[SentenceInput(t) for t in texts[:25]], [SentenceInput(t) for t in texts[25:]]]
    serial = Classifier.load(tiny_model, threads=1, runtime=runtime, max_batch=4)
    parallel = Classifier.load(tiny_model, threads=3, runtime=runtime, max_batch=4)
    assert parallel.backend.workers == 3
    expected = serial.classify_documents(documents)
    got = parallel.classify_documents(documents)
    for doc_a, doc_b in zip(expected, got, strict=True):
        for a, b in zip(doc_a, doc_b, strict=True):
            assert a.text == b.text
            assert a.type_scores == pytest.approx(b.type_scores, abs=1e-5)
            for target in a.stance:
                assert a.stance[target].scores == pytest.approx(b.stance[target].scores, abs=1e-5)


def test_a_very_long_sentence_is_truncated_not_rejected(classifier: Classifier) -> None:
    text = '"' + "Ловим 🎉 " * 5000 + '" he said.'
    result = classifier.classify_sentences([text])[0]
    assert result.text == text
    if result.attribution:
        for span in (result.attribution.source, result.attribution.cue, result.attribution.content):
            assert span is None or text[span.start : span.end] == span.text


def test_pathological_names_do_not_stall_speaker_rules(classifier: Classifier) -> None:
    # A 100,000-character capitalised "name" once made a backtracking regex run for minutes.
    text = "Aa" * 50_000 + ", the president said."
    results = classifier.classify_documents([[SentenceInput("President Ana Vuk spoke."), SentenceInput(text)]])
    assert results[0][1].text == text


def test_target_subset_and_unknown_target(classifier: Classifier) -> None:
    result = classifier.classify_sentences(["NATO said so."], targets=["NATO"])[0]
    assert list(result.stance) == ["NATO"]
    with pytest.raises(UnknownTargetError, match="'EU'"):
        classifier.classify_sentences(["x"], targets=["EU"])


def test_missing_model_folder_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(ModelFolderError, match="sayso train"):
        Classifier.load(tmp_path / "nowhere")


def test_incomplete_model_folder_names_what_is_missing(tiny_model: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    (broken / "model.safetensors").unlink()
    with pytest.raises(ModelFolderError, match=r"model\.safetensors"):
        Classifier.load(broken)


def test_unknown_label_in_config_is_named(tiny_model: Path, tmp_path: Path) -> None:
    broken = tmp_path / "badlabel"
    shutil.copytree(tiny_model, broken)
    config = json.loads((broken / CONFIG_FILE).read_text())
    config["type_labels"] = ["fact", "quote", "rumour"]
    (broken / CONFIG_FILE).write_text(json.dumps(config))
    with pytest.raises(ModelConfigError, match="rumour"):
        Classifier.load(broken)


def test_neutral_scale_rescales_and_renormalises() -> None:
    probs = np.array([[[0.5, 0.2, 0.3]]])
    assert rescale_neutral(probs, 1.0, 2) is probs  # the default 1.0 leaves them alone
    scaled = rescale_neutral(probs, 2.0, 2)
    assert scaled[0, 0].tolist() == pytest.approx([0.5 / 1.3, 0.2 / 1.3, 0.6 / 1.3])
    assert scaled[0, 0].argmax() == 2


def test_the_models_neutral_scale_decides_its_stance_labels(tiny_model: Path, tmp_path: Path) -> None:
    calibrated = tmp_path / "calibrated"
    shutil.copytree(tiny_model, calibrated)
    config = json.loads((calibrated / CONFIG_FILE).read_text())
    config["stance_neutral_scale"] = 1e6
    (calibrated / CONFIG_FILE).write_text(json.dumps(config))
    for result in Classifier.load(calibrated).classify_text(ARTICLE):
        assert {s.label for s in result.stance.values()} == {"neutral"}
        assert all(sum(s.scores.values()) == pytest.approx(1.0, abs=1e-3) for s in result.stance.values())


@pytest.mark.parametrize("scale", [0, -1.5, "2", True, float("inf")])
def test_a_neutral_scale_that_is_not_a_positive_number_is_refused(tiny_model: Path, tmp_path: Path, scale) -> None:
    broken = tmp_path / "badscale"
    shutil.copytree(tiny_model, broken)
    config = json.loads((broken / CONFIG_FILE).read_text())
    config["stance_neutral_scale"] = scale
    (broken / CONFIG_FILE).write_text(json.dumps(config))
    with pytest.raises(ModelConfigError, match="stance_neutral_scale"):
        Classifier.load(broken)
