from pathlib import Path

import numpy as np
import pytest

from models.classifier import Classifier

TEXTS = ['"We will not back down," Kurti said.', "KFOR troops used tear gas in Zvecan on Monday, police said.", "A"]


@pytest.fixture(scope="module")
def onnx_classifier(tiny_model: Path) -> Classifier:
    from models.onnx_runtime import load_onnx_classifier

    return load_onnx_classifier(tiny_model, threads=1)


def test_int8_matches_torch_closely(classifier: Classifier, onnx_classifier: Classifier) -> None:
    for a, b in zip(classifier.classify_sentences(TEXTS), onnx_classifier.classify_sentences(TEXTS), strict=True):
        assert a.type_scores == pytest.approx(b.type_scores, abs=0.03)
        for target in a.stance:
            assert a.stance[target].scores == pytest.approx(b.stance[target].scores, abs=0.03)


def test_export_is_cached_per_weights_file(tiny_model: Path, onnx_classifier: Classifier) -> None:
    from models.onnx_runtime import export_int8

    exported = sorted((tiny_model / "onnx").glob("*.onnx"))
    assert len(exported) == 2  # int8 and the fused fp32 graph it came from
    before = [p.stat().st_mtime_ns for p in exported]
    assert sorted(export_int8(tiny_model)) == exported
    assert [p.stat().st_mtime_ns for p in exported] == before


def test_heads_and_first_ffn_down_projection_stay_fp32(tiny_model: Path, onnx_classifier: Classifier) -> None:
    import onnx

    (exported,) = (tiny_model / "onnx").glob("*-int8*.onnx")
    nodes = list(onnx.load(str(exported)).graph.node)
    gelu_output = next(n for n in nodes if n.op_type in ("BiasGelu", "Gelu", "FastGelu")).output[0]
    readers = [n.op_type for n in nodes if gelu_output in n.input]
    assert readers == ["MatMul"]  # fp32, not a DynamicQuantizeLinear feeding MatMulInteger
    assert sum(n.op_type == "MatMulInteger" for n in nodes) > 0
    last_norm = max(i for i, n in enumerate(nodes) if n.op_type.endswith("LayerNormalization"))
    assert all(n.op_type != "MatMulInteger" for n in nodes[last_norm:])  # the heads


def test_close_rows_are_those_within_a_margin_of_a_flip() -> None:
    from models.onnx_runtime import OnnxBackend

    backend = OnnxBackend.__new__(OnnxBackend)  # the row rule only; no sessions needed
    backend.fallback_margin, backend.tag_fallback_margin = 0.2, 0.1
    backend.stance_neutral_scale, backend.neutral_index = 1.0, 2
    type_p = np.array([[0.9, 0.05, 0.05], [0.5, 0.4, 0.1], [0.9, 0.05, 0.05], [0.9, 0.05, 0.05]])
    stance_p = np.array([[[0.8, 0.1, 0.1]], [[0.8, 0.1, 0.1]], [[0.45, 0.35, 0.2]], [[0.8, 0.1, 0.1]]])
    mention_p = np.array([[0.99], [0.99], [0.99], [0.99]])
    tag_p = np.array([[[0.9, 0.1], [0.52, 0.48]]] * 4)  # the second token is padding except in row 3
    attention = np.array([[1, 0], [1, 0], [1, 0], [1, 1]])
    unnamed = np.zeros((4, 1, 2))
    assert backend.close_rows(type_p, stance_p, mention_p, tag_p, attention, unnamed).tolist() == [1, 2, 3]
    # a mention-head close call matters only where no alias names the target
    unsure = np.array([[0.52], [0.99], [0.99], [0.99]])
    backend.tag_fallback_margin = 0.0
    assert backend.close_rows(type_p, stance_p, unsure, tag_p, attention, unnamed).tolist() == [0, 1, 2]
    named = np.array([[[1, 0]], [[0, 0]], [[0, 0]], [[0, 0]]])
    assert backend.close_rows(type_p, stance_p, unsure, tag_p, attention, named).tolist() == [1, 2]


def test_the_stance_margin_is_measured_after_the_neutral_scale() -> None:
    from models.onnx_runtime import OnnxBackend

    backend = OnnxBackend.__new__(OnnxBackend)
    backend.fallback_margin, backend.tag_fallback_margin, backend.neutral_index = 0.1, 0.0, 2
    type_p = np.array([[0.9, 0.05, 0.05]] * 2)
    # unscaled, row 0 is a clear favor and row 1 a favor/neutral near-tie; times 2 the other way round
    stance_p = np.array([[[0.6, 0.1, 0.3]], [[0.45, 0.1, 0.45]]])
    args = (type_p, stance_p, np.array([[0.99]] * 2), np.ones((2, 1, 1)), np.ones((2, 1)), np.ones((2, 1, 1)))
    backend.stance_neutral_scale = 1.0
    assert backend.close_rows(*args).tolist() == [1]
    backend.stance_neutral_scale = 2.0
    assert backend.close_rows(*args).tolist() == [0]


def test_with_every_row_run_again_int8_gives_the_fp32_graphs_answers(tiny_model: Path, classifier: Classifier) -> None:
    from models.onnx_runtime import OnnxBackend, export_int8

    int8, fp32 = export_int8(tiny_model)
    everything = Classifier(classifier.config, classifier.tokenizer, OnnxBackend(int8, fp32, 1, 2.0, 2.0))
    for a, b in zip(classifier.classify_sentences(TEXTS), everything.classify_sentences(TEXTS), strict=True):
        assert a.type_scores == pytest.approx(b.type_scores, abs=1e-4)
        for target in a.stance:
            assert a.stance[target].scores == pytest.approx(b.stance[target].scores, abs=1e-4)
