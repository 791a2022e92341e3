"""Theme grouping of open answers: ris3hub's engine against simpler ways, on the labelled set.

Reads tests/engines/themes/eval/answers.csv (104 stakeholder answers, Italian and English, 9
hidden themes with both languages in each) and prints the adjusted Rand index (ARI, 1 = the hidden
themes exactly, 0 = chance) of:

- ris3hub with the number of themes chosen (as `ris3hub consultation themes --themes auto`);
- ris3hub with the true number of themes;
- TF-IDF of the words + k-means (true number): the lexical baseline, blind across languages, on
  the raw words and on Snowball stems without stop words;
- sentence vectors of the same encoder + k-means (true number);
- sentence vectors + one average-linkage tree (true number).

Also the share of answers whose nearest neighbour shares their theme, for the sentence vectors
and for ris3hub's combined vectors. Baselines with k-means are the mean of 10 seeds. Usage:

    .venv/bin/python benchmarks/themes_quality.py
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ris3hub.engines.matching.encoders import encoder_from  # noqa: E402
from ris3hub.engines.themes import find_themes  # noqa: E402
from ris3hub.engines.themes.representation import answer_vectors  # noqa: E402
from ris3hub.engines.themes.text import content_words, languages_of, stems  # noqa: E402

EVAL = ROOT / "tests" / "engines" / "themes" / "eval" / "answers.csv"
SEEDS = range(10)


def nearest_same(vectors: np.ndarray, truth: np.ndarray) -> float:
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    return float(np.mean(truth[similarity.argmax(axis=1)] == truth))


def main() -> None:
    with open(EVAL, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [r["answer"] for r in rows]
    truth = np.array([r["theme"] for r in rows])
    k = len(set(truth))
    encoder = encoder_from("use", threads=2)
    started = time.perf_counter()
    sentence = encoder.encode(texts)
    auto = find_themes(texts, encoder, sentence_vectors=sentence)
    auto_seconds = time.perf_counter() - started
    given = find_themes(texts, encoder, n_themes=k, sentence_vectors=sentence)
    tfidf = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    lexical = [adjusted_rand_score(truth, KMeans(k, n_init=10, random_state=s).fit_predict(tfidf)) for s in SEEDS]
    languages = languages_of(texts)
    stemmed = [" ".join(stems(content_words(t), lang)) for t, lang in zip(texts, languages)]
    tfidf_stems = TfidfVectorizer(sublinear_tf=True).fit_transform(stemmed)
    lexical_stems = [adjusted_rand_score(truth, KMeans(k, n_init=10, random_state=s).fit_predict(tfidf_stems))
                     for s in SEEDS]
    dense = [adjusted_rand_score(truth, KMeans(k, n_init=10, random_state=s).fit_predict(sentence)) for s in SEEDS]
    tree = AgglomerativeClustering(k, linkage="average", metric="cosine").fit_predict(sentence)
    combined = answer_vectors(texts, languages, encoder, sentence_vectors=sentence).combined

    table = [
        ("ris3hub, themes chosen", f"{adjusted_rand_score(truth, auto.assignment):.3f}", str(len(auto.themes))),
        ("ris3hub, true number", f"{adjusted_rand_score(truth, given.assignment):.3f}", str(k)),
        ("TF-IDF + k-means", f"{np.mean(lexical):.3f} ± {np.std(lexical):.3f}", str(k)),
        ("TF-IDF of stems, no stop words + k-means", f"{np.mean(lexical_stems):.3f} ± {np.std(lexical_stems):.3f}",
         str(k)),
        ("sentence vectors + k-means", f"{np.mean(dense):.3f} ± {np.std(dense):.3f}", str(k)),
        ("sentence vectors + average linkage", f"{adjusted_rand_score(truth, tree):.3f}", str(k)),
    ]
    print(f"{len(texts)} answers, {k} labelled themes ({sum(r['language'] == 'it' for r in rows)} in Italian)\n")
    print(f"{'method':<44}{'ARI':>16}{'themes':>8}")
    for name, score, themes in table:
        print(f"{name:<44}{score:>16}{themes:>8}")
    print(f"\nARI gain of ris3hub (themes chosen) over the best TF-IDF + k-means: "
          f"{adjusted_rand_score(truth, auto.assignment) - max(np.mean(lexical), np.mean(lexical_stems)):+.3f}")
    print(f"nearest neighbour in the same theme: sentence vectors {nearest_same(sentence, truth):.2f}, "
          f"ris3hub's combined vectors {nearest_same(combined, truth):.2f}")
    print(f"ris3hub with the number chosen: {auto_seconds:.1f} s for {len(texts)} answers, encoding included "
          "(timings are noisy on a shared machine)")


if __name__ == "__main__":
    main()
