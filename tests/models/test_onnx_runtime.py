from pathlib import Path

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
    assert len(exported) == 1
    before = exported[0].stat().st_mtime_ns
    assert export_int8(tiny_model) == exported[0] and exported[0].stat().st_mtime_ns == before


def test_heads_and_first_ffn_down_projection_stay_fp32(tiny_model: Path, onnx_classifier: Classifier) -> None:
    import onnx

    (exported,) = (tiny_model / "onnx").glob("*.onnx")
    nodes = list(onnx.load(str(exported)).graph.node)
    gelu_output = next(n for n in nodes if n.op_type in ("BiasGelu", "Gelu", "FastGelu")).output[0]
    readers = [n.op_type for n in nodes if gelu_output in n.input]
    assert readers == ["MatMul"]  # fp32, not a DynamicQuantizeLinear feeding MatMulInteger
    assert sum(n.op_type == "MatMulInteger" for n in nodes) > 0
    last_norm = max(i for i, n in enumerate(nodes) if n.op_type.endswith("LayerNormalization"))
    assert all(n.op_type != "MatMulInteger" for n in nodes[last_norm:])  # the heads
