"""`ris3hub consultation themes`: the JSON it writes, and input errors named by file, line and column.

The quality test runs the real multilingual encoder on the labelled evaluation set
(eval/answers.csv: 104 answers, 9 themes, Italian and English in each theme).
"""

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from ris3hub.cli import main
from ris3hub.engines.themes import find_themes

EVAL = Path(__file__).parent / "eval" / "answers.csv"


class MemoEncoder:
    """The real encoder, each text encoded once per test session."""

    def __init__(self, encoder):
        self.encoder = encoder
        self.name = encoder.name
        self.seen: dict[str, np.ndarray] = {}

    def encode(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if missing:
            self.seen.update(zip(missing, self.encoder.encode(missing)))
        return np.stack([self.seen[t] for t in texts]) if texts else np.zeros((0, 512), dtype=np.float32)


@pytest.fixture(scope="session")
def real_encoder():
    from ris3hub.engines.matching.encoders import encoder_from

    return MemoEncoder(encoder_from("use", threads=2))


def run_cli(capsys, *args):
    code = main(["consultation", "themes", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def encoder_in_cli(monkeypatch):
    def use(encoder):
        monkeypatch.setattr("ris3hub.engines.matching.encoders.default_encoder", lambda settings: encoder)

    return use


def test_json_shape_and_adjusted_rand_index_on_the_evaluation_set(capsys, encoder_in_cli, real_encoder, eval_rows):
    encoder_in_cli(real_encoder)
    code, out, err = run_cli(capsys, EVAL, "--text-column", "answer", "--id-column", "id", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {"answers", "themes"}
    assert [set(a) for a in result["answers"]] == [{"id", "theme"}] * len(eval_rows)
    assert [a["id"] for a in result["answers"]] == [r["id"] for r in eval_rows]
    assert all(set(t) == {"id", "label", "keywords", "size"} for t in result["themes"])
    ids = [t["id"] for t in result["themes"]]
    assert ids == list(range(1, len(ids) + 1))
    assert sum(t["size"] for t in result["themes"]) == len(eval_rows)
    assert all(isinstance(t["label"], str) and t["label"] and t["keywords"] for t in result["themes"])
    score = adjusted_rand_score([r["theme"] for r in eval_rows], [a["theme"] for a in result["answers"]])
    print(f"\nARI with --themes auto: {score:.3f} ({len(ids)} themes chosen, 9 labelled)")
    assert score >= 0.5
    assert 6 <= len(ids) <= 13


def test_adjusted_rand_index_with_the_true_number_of_themes(real_encoder, eval_rows):
    truth = [r["theme"] for r in eval_rows]
    result = find_themes([r["answer"] for r in eval_rows], real_encoder, n_themes=len(set(truth)))
    score = adjusted_rand_score(truth, result.assignment)
    print(f"\nARI with --themes {len(set(truth))}: {score:.3f}")
    assert len(result.themes) == len(set(truth))
    assert score >= 0.5
    # Themes mix the languages: no theme of four answers or more is in one language only.
    for theme in result.themes:
        if theme.size >= 4:
            assert {result.languages[i] for i in theme.members} == {"it", "en"}


def write(path, text: str, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolon_file_with_a_language_column_and_a_given_number_of_themes(tmp_path, capsys, encoder_in_cli,
                                                                           fake_encoder):
    encoder_in_cli(fake_encoder())
    path = write(tmp_path / "answers.csv", "code;lang;text\nA;it;fondi per le startup\nB;en;funds for startups\n"
                                           "C;IT;formazione dei tecnici\nD;fr;formation des techniciens\nE;en;\n")
    code, out, err = run_cli(capsys, path, "--text-column", "text", "--id-column", "code", "--language-column",
                             "lang", "--themes", "2", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert [a["id"] for a in result["answers"]] == ["A", "B", "C", "D", "E"]
    assert result["answers"][-1]["theme"] is None  # an empty answer has no theme
    assert len(result["themes"]) == 2 and sum(t["size"] for t in result["themes"]) == 4
    assert "semicolon-separated" in err
    assert "line 5, column lang: 'fr' is neither Italian nor English" in err


def test_text_output_names_themes_and_each_answers_theme(tmp_path, capsys, encoder_in_cli, fake_encoder):
    encoder_in_cli(fake_encoder())
    path = write(tmp_path / "a.csv", "text\nfondi per le startup\nfunds for startups\nformazione\ntraining\n")
    code, out, err = run_cli(capsys, path, "--text-column", "text", "--themes", "2")
    assert code == 0, err
    assert out.startswith("4 answers, 2 themes (asked for)")
    assert "theme 1:" in out and "keywords:" in out
    assert out.rstrip().splitlines()[-4:][0].split("\t")[0] == "1"  # ids are row numbers


@pytest.mark.parametrize("content, args, message", [
    ("id,answer\n1,ciao\n", ["--text-column", "risposta"],
     "line 1, column risposta: no column 'risposta' in the header (its columns: 'id', 'answer')"),
    ("id;answer\n1;ciao\n", ["--text-column", "answer", "--delimiter", "comma"],
     "line 1, column answer: missing column(s) answer (the header looks semicolon-separated; expected comma)"),
    ("", ["--text-column", "answer"], "the file is empty"),
    ("id,answer\n", ["--text-column", "answer"], "the file has a header and no answers"),
    ("id,answer\n1,\n2, \n", ["--text-column", "answer"], "column answer: every answer in column answer is empty"),
    ("id,answer\n1,ciao\n1,hello\n,salve\n", ["--text-column", "answer", "--id-column", "id"],
     "line 3, column id: the id '1' is already on line 2"),
    ("id,answer\n1,ciao,extra\n", ["--text-column", "answer"], "line 2: 3 fields where the header has 2"),
])
def test_input_errors_name_file_line_and_column(tmp_path, capsys, content, args, message):
    path = write(tmp_path / "answers.csv", content)
    code, out, err = run_cli(capsys, path, *args)
    assert code == 1
    assert out == ""
    assert f"error: answers.csv, {message}" in err or f"error: answers.csv: {message}" in err


def test_an_empty_id_is_named_with_the_duplicate(tmp_path, capsys):
    path = write(tmp_path / "answers.csv", "id,answer\n1,ciao\n1,hello\n,salve\n")
    code, _, err = run_cli(capsys, path, "--text-column", "answer", "--id-column", "id")
    assert code == 1
    assert "answers.csv, line 4, column id: the id is empty" in err


def test_wrong_encoding_names_the_line_and_a_way_out(tmp_path, capsys):
    path = write(tmp_path / "answers.csv", "id,answer\n1,ciao\n2,più fondi\n", encoding="latin-1")
    code, _, err = run_cli(capsys, path, "--text-column", "answer")
    assert code == 1
    assert "answers.csv, line 3: byte 0xf9 is not valid UTF-8" in err
    code, _, err = run_cli(capsys, path, "--text-column", "answer", "--encoding", "klingon")
    assert code == 1 and "'klingon' is not a text encoding" in err


def test_more_themes_than_answers_is_refused(tmp_path, capsys):
    path = write(tmp_path / "answers.csv", "answer\nuno\ndue\n")
    code, _, err = run_cli(capsys, path, "--text-column", "answer", "--themes", "5")
    assert code == 1 and "2 non-empty answers cannot make 5 themes" in err


def test_themes_argument_is_auto_or_a_positive_number(tmp_path, capsys):
    path = write(tmp_path / "answers.csv", "answer\nuno\n")
    for bad in ("0", "many"):
        with pytest.raises(SystemExit) as exit_info:
            run_cli(capsys, path, "--text-column", "answer", "--themes", bad)
        assert exit_info.value.code == 2
